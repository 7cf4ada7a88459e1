"""The ``kg`` command: build, validate, stats, query, explain, export, serve,
publish, source add, excerpt. Errors are one line on stderr and exit code 2."""
from __future__ import annotations

import argparse
import json
import sys

from kg.errors import KgError, ValidationFailed
from kg.serving.limits import Limits
from kg.paths import build_dir


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r\033[K… {message}", end="", file=sys.stderr, flush=True)
    else:
        print(f"… {message}", file=sys.stderr, flush=True)


def _done() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def _quiet_rdflib() -> None:
    import logging
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # its warnings carry tracebacks; our errors say it in one line


def cmd_build(args) -> int:
    from kg.pipeline.manifest import is_current
    if not args.force and is_current():  # without importing the pipeline
        print("up to date: no input changed")
        return 0
    _quiet_rdflib()
    from kg.pipeline.build import build
    if args.held is not None:  # the process ends after the build (see console): the collector stays off
        import gc
        gc.disable()
    result = build(force=args.force, progress=_progress)
    if args.held is not None:
        args.held.append(result)
    _done()
    m = result.manifest
    if result.rebuilt:
        print(f"built {build_dir() / 'kg.nq'}: {m['asserted_triples']} asserted, {m['inferred_triples']} inferred triples")
        print("timings (s): " + ", ".join(f"{k} {v}" for k, v in m["timings"].items()))
    else:
        print(f"up to date: {result.note}")
    return 0


def cmd_validate(args) -> int:
    from kg.pipeline import consistency
    from kg.pipeline.load import input_files, load_graphs
    from kg.pipeline.shacl_background import ShaclInBackground
    from kg.pipeline.validate import validate
    files = input_files()
    shacl = ShaclInBackground(files)  # the shapes checked in a child while this process parses
    try:
        graphs, by_graph = load_graphs(files)
        problems = validate(graphs, by_graph, shacl) or consistency.check(graphs, by_graph)
    finally:
        shacl.wait()
    if problems:
        raise ValidationFailed(problems)
    print(f"conforms: {len(by_graph)} files, {len(graphs)} triples")
    return 0


def _ensure_built():
    from kg.pipeline.manifest import is_current
    if is_current():
        return
    from kg.pipeline.build import build
    build(progress=_progress)
    _done()


def _is_remote(store: str) -> bool:
    return store.startswith(("http://", "https://"))


def _store(args):
    from kg.query.stores import open_store
    if not _is_remote(args.store):
        _ensure_built()
    return open_store(args.store)


def cmd_stats(args) -> int:
    from kg.query.stats import by_source, overview
    store = _store(args)
    report = by_source(store) if args.by_source else overview(store)
    print(json.dumps(report, indent=2) if args.format == "json" else report_text(report))
    return 0


def report_text(report: dict) -> str:
    lines = []
    for section, rows in report.items():
        lines.append(f"{section}:")
        if isinstance(rows, dict):
            width = max((len(str(k)) for k in rows), default=0)
            lines += [f"  {str(k).ljust(width)}  {v}" for k, v in rows.items()]
        else:
            lines.append(f"  {rows}")
    return "\n".join(lines)


def cmd_query(args) -> int:
    from kg.query.named import GROUPS, bind_params, check_format, check_syntax, format_result, named_queries, resolve
    if args.list:
        queries = named_queries()
        for folder, heading in GROUPS:
            group = [q for q in queries.values() if q.group == folder]
            if not group:
                continue
            print(f"{'' if folder == GROUPS[0][0] else chr(10)}{heading} (queries/{folder + '/' if folder else ''})")
            for q in group:
                params = f" [{', '.join(q.params)}]" if q.params else ""
                print(f"  {q.name}{params}\n      {q.question}")
        return 0
    if not args.query:
        raise KgError("query: give a query name, a .rq file or SPARQL text (or --list)")
    check_format(args.format)
    text, declared = resolve(args.query)
    check_syntax(text)
    bindings = bind_params(args.param or [], declared)
    result = _store(args).query(text, bindings)
    fmt = args.format or ("ttl" if result.kind == "CONSTRUCT" else "table")
    sys.stdout.write(format_result(result, fmt).rstrip("\n") + "\n")
    return 0


def cmd_explain(args) -> int:
    from kg.query.artefact import load_artefact
    from kg.pipeline.explain import Explainer, load_derivations, render_text
    from kg.terms import parse_term
    _ensure_built()
    triple = (parse_term(args.s, "S"), parse_term(args.p, "P"), parse_term(args.o, "O"))
    tree = Explainer(load_artefact(), load_derivations()).explain(triple)
    print(json.dumps(tree, indent=2, ensure_ascii=False) if args.format == "json" else render_text(tree))
    return 0


def cmd_export(args) -> int:
    from pathlib import Path

    from kg.query.artefact import load_artefact
    if args.output and not Path(args.output).resolve().parent.is_dir():
        raise KgError(f"--output {args.output}: no such folder")
    _ensure_built()
    dataset = load_artefact()
    fmt = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[args.format]
    from kg.query.formats import rdf_text
    if fmt == "turtle":
        from rdflib import Graph
        graph = Graph()
        for s, p, o, _g in dataset.quads():
            graph.add((s, p, o))
        data = rdf_text(graph, "turtle")
    else:
        data = rdf_text(dataset, fmt)
    if args.output:
        tmp = Path(args.output + ".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(args.output)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(data)
    return 0


def cmd_publish(args) -> int:
    from kg.query.publish import publish
    _ensure_built()
    for done, graph, count in publish(args.url, args.user, args.prune):
        print(f"loaded {count} triples into <{graph}>" if done == "loaded" else f"deleted <{graph}>")
    return 0


def cmd_serve(args) -> int:
    from kg.serving.limits import Limits
    from kg.serving.server import check_address, serve
    check_address(args.host, args.port)
    if not _is_remote(args.store):
        _ensure_built()
    limits = Limits().with_overrides({"timeout": args.timeout, "max_results": args.max_results,
                                      "workers": args.workers, "rate": args.rate_limit, "burst": args.burst,
                                      "trusted_proxy": args.trusted_proxy})
    from dataclasses import asdict

    from webapp import create_app
    app = create_app({"STORE": args.store, "LIMITS": asdict(limits)})  # the store is opened once, here
    app.extensions["kg"].warm()
    return serve(app, args.store, args.host, args.port, limits)


def cmd_source_add(args) -> int:
    from pathlib import Path
    from kg.pipeline.scaffold import add_source
    added = add_source(Path(args.file), args.title, args.kind, args.slug, args.prefix)
    print(f"copied {args.file} to sources/{added.file_name} and recorded its sha256 in sources/SHA256SUMS")
    print(f"registered src:{added.slug} in data/sources.ttl (excerpts ex:{added.prefix}-START-END)")
    print(f"wrote {added.data_file}; next: kg excerpt {added.slug} 'a quote' --into {added.data_file}")
    return 0


def cmd_excerpt(args) -> int:
    from kg.pipeline.sources import find_source
    source = find_source(args.source)
    if args.reanchor:
        return _reanchor(source, args)
    if args.add_context:
        from kg.pipeline.excerpt_files import add_context
        for line in add_context(source) or [f"every excerpt of {source.slug} already records its context"]:
            print(line)
        return 0
    from kg.pipeline.excerpts import collect, read_quotes
    quotes = args.quotes + (read_quotes(args.from_file) if args.from_file else [])
    if not quotes and not args.at:
        raise KgError("excerpt: give one or more quotes, --from FILE, --at START:END, or --reanchor")
    found, problems = collect(source, quotes, args.at, args.occurrence)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"kg: {len(quotes) + len(args.at) - len(found)} of {len(quotes) + len(args.at)} could not be placed; "
              "nothing was written", file=sys.stderr)
        return 2
    if not args.into:
        print("\n".join(e.turtle() for e in found), end="")
        return 0
    from pathlib import Path
    from kg.pipeline.excerpt_files import append_excerpts
    written, there = append_excerpts(Path(args.into), found)
    for e in written:
        print(f"{e.name}  {e.start}..{e.end}  written to {args.into}")
    for e in there:
        print(f"{e.name}  {e.start}..{e.end}  already in {args.into}")
    return 0


def _reanchor(source, args) -> int:
    from kg.pipeline.excerpt_files import reanchor
    if args.quotes or args.at or args.from_file or args.into:
        raise KgError("excerpt --reanchor: give only the source")
    report = reanchor(source)
    for line in report.moved:
        print(f"moved {line}")
    print(f"{len(report.moved)} moved, {report.unchanged} still in place, {len(report.orphans)} orphan(s); "
          f"recorded the new sha256 of sources/{source.file_name}")
    for line in report.orphans:
        print(line, file=sys.stderr)
    return 2 if report.orphans else 0


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (no usage block) and exit 2."""

    def error(self, message: str):
        command = self.prog.removeprefix("kg").strip()  # "query" in "kg query"
        where = f"kg: {command}:" if command else "kg:"
        self.exit(2, f"{where} {message} (see {self.prog} --help)\n")


def _number(kind, least: float, what: str):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got '{text}'") from None
        if not least <= value < float("inf"):
            raise argparse.ArgumentTypeError(f"expected {what}, got '{text}'")
        return value
    parse.__name__ = what  # argparse names the type in its message
    parse.bad_examples = ["not-a-number", "-5", "inf"]  # for the test that walks every option
    return parse


def _port(text: str) -> int:
    port = _number(int, 0, "a port number 0-65535")(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got '{text}'")
    return port


_port.bad_examples = ["not-a-number", "-5", "70000"]


def _address(text: str) -> str:
    import ipaddress
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an IP address, got '{text}'") from None


_address.bad_examples = ["not-an-address", "300.1.1.1"]


def _store_name(text: str) -> str:
    from kg.query.stores import check_store_name
    try:
        return check_store_name(text)
    except KgError as err:
        raise argparse.ArgumentTypeError(str(err).removeprefix("--store: ")) from None


_store_name.bad_examples = ["no-such-store", "ftp://example.org/sparql", "http://"]


def _add_user(p) -> None:
    p.add_argument("--user", type=_user, help="user name for a remote store (HTTP basic or digest); the "
                   "password comes from KG_STORE_PASSWORD or a netrc file, never from the command line")


def _user(text: str) -> str:
    import os

    from kg.query.stores.http import USER_VARIABLE
    if not text or ":" in text or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError("expected a user name (no ':' and no spaces; the password goes "
                                         "in KG_STORE_PASSWORD or a netrc file)")
    os.environ[USER_VARIABLE] = text  # the query workers kg serve starts read it too
    return text


_user.bad_examples = ["alice:secret", "two words"]


def parser() -> argparse.ArgumentParser:
    main = OneLineParser(prog="kg", description="Practitioner Evidence Graph")
    sub = main.add_subparsers(dest="command", required=True)

    def add(name, func, help_text, store=False):
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        if store:
            p.add_argument("--store", default="rdflib", type=_store_name,
                           help="rdflib (default), oxigraph, or a SPARQL endpoint URL")
            _add_user(p)
        return p

    p = add("build", cmd_build, "build the artefact build/kg.nq (only if an input changed)")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    add("validate", cmd_validate, "check the data against the shapes and the sources")
    p = add("stats", cmd_stats, "triples per graph, works, claims, excerpts, inferred by predicate", store=True)
    p.add_argument("--by-source", action="store_true", help="works, claims, excerpts, measurements per source")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p = add("query", cmd_query, "run a named query, a .rq file or SPARQL text", store=True)
    p.add_argument("query", nargs="?", help="name (see --list), file.rq, or SPARQL text")
    p.add_argument("--format", help="table|csv|tsv|json|xml (SELECT), ttl|nt|jsonld (CONSTRUCT)")
    p.add_argument("--param", action="append", help="NAME=VALUE (IRI, prefixed name or literal)")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p = add("explain", cmd_explain, "why an inferred triple holds, down to asserted triples")
    p.add_argument("s"), p.add_argument("p"), p.add_argument("o")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p = add("export", cmd_export, "write the dataset as ttl, trig, nq or jsonld")
    p.add_argument("--format", choices=["ttl", "trig", "nq", "jsonld"], default="trig")
    p.add_argument("--output", "-o")
    p = add("publish", cmd_publish, "load every named graph into a SPARQL Graph Store Protocol endpoint")
    p.add_argument("url", help="the store's graph store endpoint, e.g. http://localhost:7878/store")
    p.add_argument("--prune", action="store_true",
                   help="also delete the graphs of ours that an earlier publish sent and the build no longer has")
    _add_user(p)
    p = sub.add_parser("source", help="register a source: kg source add FILE --title … --kind …")
    source_sub = p.add_subparsers(dest="source_command", required=True)
    p = source_sub.add_parser("add", help="copy a text into sources/, record its hash, register it, start its data file")
    p.set_defaults(func=cmd_source_add)
    p.add_argument("file", help="the source text (UTF-8), copied byte for byte")
    p.add_argument("--title", required=True, help="the document's title")
    p.add_argument("--kind", required=True, help="what kind of document it is: report, web page, blog post …")
    p.add_argument("--slug", help="its name in IRIs, src:SLUG (default: from the title)")
    p.add_argument("--prefix", help="the prefix of its excerpts' names, ex:PREFIX-START-END (default: from the slug)")
    p = add("excerpt", cmd_excerpt, "quotes into excerpt nodes (Turtle) with character offsets; --reanchor after a corrected copy")
    p.add_argument("source", help="a source's slug, its file name or a path to it")
    p.add_argument("quotes", nargs="*", help="exact quotes, copied from the text")
    p.add_argument("--from", dest="from_file", metavar="FILE", help="quotes from a file, one a line ('-': stdin)")
    p.add_argument("--at", action="append", default=[], metavar="START:END", help="an excerpt by its offsets")
    p.add_argument("--occurrence", type=int, metavar="N", help="which occurrence of a quote that occurs more than once")
    p.add_argument("--into", metavar="FILE", help="append the excerpts to this data file (those not there yet)")
    p.add_argument("--reanchor", action="store_true",
                   help="after the source's text changed: move each excerpt whose text, prefix and suffix occur once")
    p.add_argument("--add-context", action="store_true",
                   help="record pe:prefix and pe:suffix on the source's excerpts that lack them (so they can be re-anchored)")
    p = add("serve", cmd_serve, "build if needed and serve the explorer and SPARQL endpoint", store=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_port, default=8000)
    defaults = Limits()
    seconds, count = _number(float, 0.001, "a positive number of seconds"), _number(int, 1, "a positive integer")
    p.add_argument("--timeout", type=seconds, help=f"seconds a /sparql query may run (default {defaults.timeout:g})")
    p.add_argument("--max-results", type=count, help=f"rows or triples an answer may have (default {defaults.max_results})")
    p.add_argument("--workers", type=count, help=f"query worker processes (default {defaults.workers})")
    p.add_argument("--rate-limit", type=_number(float, 0, "a number of requests per second, 0 or more"),
                   help=f"requests per second one client may sustain, 0 for no limit (default {defaults.rate:g})")
    p.add_argument("--burst", type=count, help=f"requests one client may send at once (default {defaults.burst})")
    p.add_argument("--trusted-proxy", metavar="ADDRESS", type=_address,
                   help="the address of the reverse proxy in front; only its X-Forwarded-For is believed")
    return main


def main(argv=None, held: list | None = None) -> int:
    """``held``: where ``kg build`` leaves what it made, for :func:`console`."""
    args = parser().parse_args(argv)
    args.held = held
    if args.func is not cmd_build:  # kg build with nothing changed answers without rdflib, or logging
        _quiet_rdflib()
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader went away (kg query --list | head -1): not an error
        _silence_stdout()
        return 0
    except ValidationFailed as err:
        _done()
        for line in err.lines:
            print(line, file=sys.stderr)
        print(f"kg: {len(err.lines)} problem(s); nothing was built", file=sys.stderr)
        return err.exit_code
    except KgError as err:
        _done()
        print(f"kg: {err}", file=sys.stderr)
        return err.exit_code
    except FileNotFoundError as err:
        _done()
        print(f"kg: {err.filename}: file not found", file=sys.stderr)
        return 2
    except OSError as err:  # a folder not writable, a disk full: name the file
        _done()
        print(f"kg: {err.filename or ''}{': ' if err.filename else ''}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit raises nothing more."""
    import os
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def console() -> None:
    """The ``kg`` command. After a build the process ends at once, without
    freeing the graphs and the closure one object at a time (3.5 s of a
    cold build at 100x), and with the cyclic collector still off (turned
    on again, its first pass walked every object the build had made: 10 s
    at 100x): its files are written and closed, its output flushed, and
    its children (SHACL, the derivations file) waited for."""
    held: list = []
    code = main(held=held)
    if not held:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    import os
    os._exit(code)


if __name__ == "__main__":
    console()
