"""bench/results/SUMMARY.md and its plots, from the results files the
benchmarks wrote (whichever of them exist).

    python bench/report.py

Plots (PNG, matplotlib, log-log where a quantity is drawn against size):
reasoning time and peak memory against input triples for each engine, the
build's stages against size, and each competency question's 95th
percentile against size per store."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_text  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def load(name: str):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _save(fig, name: str) -> str:
    fig.tight_layout()
    fig.savefig(RESULTS / name, dpi=110)
    plt.close(fig)
    return name


def loglog(ax, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)


REASONERS = (("kg", "ours", "o-"), ("reasonable", "reasonable (Rust)", "^-"), ("owlrl", "plain owlrl", "s--"),
             ("owlrl-turbo", "owlrl-turbo", "d:"))


def _yes(flag) -> str:
    return "" if flag is None else ("yes" if flag else "no")


def reasoning_section(rows) -> list[str]:
    """Engines x sizes from bench/reasoning.py (older files, with only ours
    and owlrl and no closure comparison, still render)."""
    labels = {engine: label for engine, label, _mark in REASONERS}
    out = ["## Reasoning (`bench/reasoning.py`)", "",
           "Each engine in its own process, runs interleaved in one run. Ours is timed with the domain rules; "
           "the others for one call on the input. Closures are compared after the noise filter, with the domain "
           "rules (applied untimed to the others' closure until nothing new comes) where `rules` says yes, "
           "without them for every engine where it says no. Peak RSS includes the input; `input RSS` is the "
           "process once it has read the input.", "",
           "| size | input triples | engine | median time (s) | peak RSS (MB) | input RSS (MB) | rules | inferred | "
           "closure equal to the reference? | missing (by our rule) | added |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    order = {engine: k for k, (engine, _label, _mark) in enumerate(REASONERS)}
    for r in sorted(rows, key=lambda r: (r["size"], order.get(r["engine"], 9))):
        equal = r.get("closure_equal")
        verdict = "" if equal is None else (f"yes ({labels.get(r['reference'], r['reference'])})" if equal
                                            else f"**no** ({labels.get(r['reference'], r['reference'])})")
        missing = ", ".join(f"{rule} {n:,}" for rule, n in r.get("missing_by_rule", {}).items())
        missing = f"{r['missing']:,}: {missing}" if r.get("missing") else ("0" if "missing" in r else "")
        out.append(f"| {r['size']}x | {r['triples_in']:,} | {labels.get(r['engine'], r['engine'])} | {r['median_s']} | "
                   f"{r['peak_rss_mb']} | {r.get('rss_input_mb', '')} | {_yes(r.get('closure_with_domain_rules'))} | "
                   f"{r.get('inferred', r.get('triples_inferred', 0)):,} | "
                   f"{verdict} | {missing} | {r.get('added', '') if r.get('added') is None else format(r['added'], ',')} |")
    runs = sorted({r["run"] for r in rows if r.get("run")})
    if len(runs) > 1:
        out.append("\nThe sizes come from separate runs (" + "; ".join(runs) + "): compare engines within a size, "
                   "not figures across sizes.")
    for size in sorted({r["size"] for r in rows}):
        at = {r["engine"]: r for r in rows if r["size"] == size}
        if "kg" not in at:
            continue
        ours = at["kg"]
        words = [f"{labels.get(e, e)} {at[e]['median_s'] / ours['median_s']:.2f}x our time, "
                 f"{at[e]['peak_rss_mb'] / ours['peak_rss_mb']:.2f}x our peak memory"
                 for e in at if e != "kg"]
        if words:
            out.append(f"\nAt {size}x: " + "; ".join(words) + ".")
    fig, (time_ax, mem_ax) = plt.subplots(1, 2, figsize=(10, 4))
    for engine, label, mark in REASONERS:
        mine = sorted((r for r in rows if r["engine"] == engine), key=lambda r: r["triples_in"])
        if mine:
            time_ax.plot([r["triples_in"] for r in mine], [r["median_s"] for r in mine], mark, label=label)
            mem_ax.plot([r["triples_in"] for r in mine], [r["peak_rss_mb"] for r in mine], mark, label=label)
    loglog(time_ax, "asserted triples", "seconds (median)", "Reasoning time")
    loglog(mem_ax, "asserted triples", "MB (peak RSS, input included)", "Reasoning memory")
    time_ax.legend()
    mem_ax.legend()
    out += ["", f"![reasoning time and memory]({_save(fig, 'reasoning.png')})", ""]
    return out


STAGES = ("load", "validate", "reason", "consistency", "write", "shacl_wait", "derivations")  # consistency on: since issue 19


def _build_row(size, label: str, r: dict) -> str:
    st = r["stages_s"]
    return (f"| {size}x | {label} | " + " | ".join(str(st.get(stage, "–")) for stage in STAGES)
            + f" | **{r['cold']['wall_s']}** | {r['cold']['peak_rss_mb']:.0f} | "
            + (f"{r['cold']['peak_tree_pss_mb']:.0f}" if r["cold"].get("peak_tree_pss_mb") else "–")
            + f" | {r['noop_s']} |")


def builds_section(data) -> list[str]:
    runs = data["runs"]
    out = ["## Builds and start-up (`bench/builds.py`)", "",
           "Cold `kg build` by stage (seconds, from the manifest), its wall time and peak RSS, and the no-op "
           "rebuild (median of 5). \"before\" is the named commit's code run on the same project in the same "
           "run, just before this checkout's. Peak memory: the RSS of the largest process (`ru_maxrss`), and the "
           "PSS of the build and the children it forks (SHACL, the derivations file) summed, sampled every 0.1 s "
           "in a second cold build of its own (a page they share counted once; reading PSS slows the build). SHACL runs in a child during load, checks, reasoning and the writing "
           "of `kg.nq` (`write`); `shacl_wait` is what was left of it then; `derivations` what was left of the "
           "derivations file's child, which writes it meanwhile (before the commit that added that column, "
           "`write` included it and `shacl_wait` came after reasoning).", "",
           "| size | code | " + " | ".join(STAGES) + " | cold build (s) | peak RSS (MB) | with children, PSS (MB) "
           "| no-op rebuild (s) |",
           "|---|---|" + "---|" * len(STAGES) + "---|---|---|---|"]
    for r in runs:
        if "before" in r:
            out.append(_build_row(r["size"], f"before ({r['before']['code']})", r["before"]))
        after = "after" if "before" in r else "this"
        out.append(_build_row(r["size"], f"{after} ({r['note']})" if "note" in r else after, r))
    for r in runs:
        if "owlrl_closure_s" in r:
            out += ["", f"At {r['size']}x plain owlrl's closure alone took {r['owlrl_closure_s']} s in the same run: "
                        f"{r['owlrl_closure_s'] / r['cold']['wall_s']:.1f}x this whole cold build (goal: at least 10x)."]
    compared = [r for r in runs if "same_artefact_content" in r]
    if compared:
        out += ["", "Same artefact content as before (quads per named graph): " + "; ".join(
            f"{r['size']}x {'yes' if r['same_artefact_content'] else 'NO'} ({r['artefact_compared']})"
            for r in compared) + "."]
    out += ["", "| size | asserted | inferred | one file changed, same triples (s) | one source text changed (s) | "
            "kg serve start, first / again (s) |", "|---|---|---|---|---|---|"]
    for r in runs:
        serve = "; ".join(f"{k}: {v['first']} / {v['again']}" for k, v in r.get("serve_start_s", {}).items()) or "–"
        out.append(f"| {r['size']}x | {r['asserted']:,} | {r['inferred']:,} | "
                   f"{r.get('one_file_changed', {}).get('wall_s', '–')} | "
                   f"{r.get('source_text_changed', {}).get('wall_s', '–')} | {serve} |")
    fig, axes = plt.subplots(1, len(runs), figsize=(3.2 * len(runs), 4), squeeze=False)
    for ax, r in zip(axes[0], runs):
        bars = ([(f"before\n{r['before']['code']}", r["before"])] if "before" in r else []) + [("after", r)]
        bottom = [0.0] * len(bars)
        for stage, colour in zip(STAGES, ("tab:blue", "tab:orange", "tab:green", "tab:brown", "tab:red", "tab:purple",
                                        "tab:pink")):
            heights = [b["stages_s"].get(stage, 0) for _, b in bars]
            ax.bar([label for label, _ in bars], heights, bottom=bottom, color=colour, label=stage)
            bottom = [a + b for a, b in zip(bottom, heights)]
        ax.plot([label for label, _ in bars], [b["cold"]["wall_s"] for _, b in bars], "k^", label="wall")
        ax.set_title(f"{r['size']}x ({r['asserted']:,} triples)")
        ax.set_ylabel("seconds")
    axes[0][0].legend(fontsize="small")
    fig.suptitle("cold kg build by stage, before and after")
    out += ["", f"![build stages]({_save(fig, 'builds.png')})", ""]
    return out


def shacl_section(data) -> list[str]:
    rows = data["rows"]
    label = {"pyshacl": "pySHACL, rdflib Graph", "pyshacl-turbo": "pyshacl-turbo, rdflib Graph",
             "pyshacl-turbo-store": "pyshacl-turbo, pyoxigraph Store"}
    out = ["## SHACL validation (`bench/shacl.py`)", "",
           "Validation alone (data loaded before the clock starts), each run in a fresh process, runs interleaved. "
           "`kg build` uses pyshacl-turbo since `tests/test_shacl_engines.py` found the same report from both "
           "engines for a planted violation of every constraint kind in `shapes/`.", "",
           "| size | input triples | engine | median time (s) | process peak RSS (MB) | peak during validation (MB) | "
           "added by validation (MB) | results | report (sha256, first 12) |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['size']}x | {r['triples_in']:,} | {label.get(r['engine'], r['engine'])} | {r['median_s']} | "
                   f"{r['peak_rss_mb']} | {r['validation_peak_rss_mb']} | {r['added_rss_mb']} | {r['results']} | `{r['results_sha256'][:12]}` |")
    for size in sorted({r["size"] for r in rows}):
        by = {r["engine"]: r for r in rows if r["size"] == size}
        if "pyshacl" in by and "pyshacl-turbo" in by:
            same = len({r["results_sha256"] for r in by.values()}) == 1
            out.append(f"\nAt {size}x pyshacl-turbo is {by['pyshacl']['median_s'] / by['pyshacl-turbo']['median_s']:.1f}x "
                       f"faster than pySHACL; the reports are {'the same' if same else 'DIFFERENT'}.")
    return out + [""]


def queries_section(data) -> list[str]:
    runs = data["runs"]
    stores = [s for s in ("rdflib", "oxigraph", "remote") if any(r["store"] == s for r in runs)]
    sizes = sorted({r["size"] for r in runs})
    by = {(r["size"], r["store"]): r["queries"] for r in runs}
    names = sorted({n for r in runs for n in r["queries"]})
    head = "| query | " + " | ".join(f"{s}x {st}" for s in sizes for st in stores) + " |"
    out = ["## Competency questions, median / 95th percentile in ms (`bench/queries.py`)", "",
           head, "|---" * (1 + len(sizes) * len(stores)) + "|"]
    for name in names:
        cells = [f"{q['median_ms']} / {q['p95_ms']}" if (q := by.get((s, st), {}).get(name)) else "–"
                 for s in sizes for st in stores]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    fig, axes = plt.subplots(1, len(stores), figsize=(4.5 * len(stores), 4), squeeze=False)
    for ax, store in zip(axes[0], stores):
        for name in names:
            points = [(r["triples"], r["queries"][name]["p95_ms"]) for r in sorted(runs, key=lambda r: r["size"])
                      if r["store"] == store and name in r["queries"]]
            ax.plot([p[0] for p in points], [p[1] for p in points], "o-", label=name.split("-")[0])
        loglog(ax, "triples (asserted + inferred)", "p95 latency (ms)", store)
    axes[0][0].legend(fontsize=7)
    out += ["", f"![query latency]({_save(fig, 'queries.png')})", ""]
    return out


def web_section(data) -> list[str]:
    out = ["## Web under load: wrk, 2 threads, 8 connections (`bench/web_load.py`)", "",
           "| store | target | requests/s | p95 (ms) | errors |", "|---|---|---|---|---|"]
    for store, result in data["stores"].items():
        for name, r in result["targets"].items():
            out.append(f"| {store} | {name} | {r['rps']} | {r['p95_ms']} | {r['socket_errors'] + r['non_2xx_3xx']} |")
    out += ["", "Explorer pages, one request at a time (median / 95th percentile, ms):", "",
            "| page | " + " | ".join(data["stores"]) + " |", "|---" * (1 + len(data["stores"])) + "|"]
    pages = sorted({p for r in data["stores"].values() for p in r.get("pages", {})})
    for page in pages:
        cells = [f"{r['pages'][page]['p50_ms']} / {r['pages'][page]['p95_ms']}" if page in r.get("pages", {}) else "–"
                 for r in data["stores"].values()]
        out.append(f"| {page} | " + " | ".join(cells) + " |")
    return out + [""]


def ceiling_section(data) -> list[str]:
    k, o = data["kg_serve"], data["oxigraph_serve"]
    return ["## /sparql against a bare oxigraph serve (`bench/ceiling.py`)", "",
            f"Competency question 1, SPARQL JSON, {data['size']}x, kg serve on the {data['store']} store:", "",
            "| server | requests/s | p95 (ms) |", "|---|---|---|",
            f"| oxigraph serve | {o['rps']} | {o['p95_ms']} |", f"| kg serve /sparql | {k['rps']} | {k['p95_ms']} |",
            "", f"kg serve reaches **{data['ratio']:.0%}** of the bare server (goal: at least 50%).", ""]


def hostile_section(data) -> list[str]:
    out = ["## Fairness under hostile load (`bench/hostile_load.py`)", "",
           "Good clients (home page, claims list, two small /sparql queries) alone, then with hostile clients "
           "(long joins, unbounded paths, costly regexes, result-cap breakers), each on its own loopback address.", "",
           "| run | clean good/s | mixed good/s | kept | pages p95 (ms) | /sparql p95 (ms) | unanswered | 5xx | goal |",
           "|---|---|---|---|---|---|---|---|---|"]
    for label, run in data.get("runs", {}).items():
        clean, mixed = run["clean"], run["mixed"]
        out.append(f"| {label} | {clean['good_per_second']} | {mixed['good_per_second']} | "
                   f"{run['good_throughput_kept']:.0%} | {mixed['page_p95_ms']} | {mixed['sparql_p95_ms']} | "
                   f"{mixed['good_unanswered']} | {mixed['good_5xx']} | {'met' if run['goal_met'] else 'not met'} |")
    return out + ["", "Goal: at least 80% kept, pages' p95 under 1 s, nothing unanswered in 30 s, no 5xx.", ""]


def walkthrough_section(data) -> list[str]:
    out = ["## Adding a source, scripted (`bench/walkthrough.py`)", "",
           "Machine time of CONTRIBUTING's \"Add a source\" on a small made-up source (a person's reading and "
           "typing is not in it):", "", "| step | s |", "|---|---|"]
    out += [f"| {name} | {seconds} |" for name, seconds in data["steps_s"].items()]
    out += [f"| **total** | **{data['total_s']}** |", ""]
    if "suite" in data:
        out += [f"The data-reading tests on the project with the new source: {data['suite']['summary']}.", ""]
    return out


def main() -> int:
    lines = ["# Benchmark summary", "",
             "Written by `bench/report.py` from `bench/results/*.json`; run everything with `bench/run` "
             "(or `bench/run --quick`). One machine, 2 cores, shared: compare figures within one run.", ""]
    sections = (("reasoning", reasoning_section), ("builds", builds_section), ("shacl", shacl_section),
                ("queries", queries_section),
                ("web", web_section), ("ceiling", ceiling_section), ("hostile", hostile_section),
                ("walkthrough", walkthrough_section))
    for name, section in sections:
        data = load(name)
        if data:
            lines += section(data)
    out = RESULTS / "SUMMARY.md"
    write_text(out, "\n".join(lines) + "\n")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
