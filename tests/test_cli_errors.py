"""Every ``kg`` command with a bad argument: one line on stderr, exit 2, never
a traceback.

The argparse cases are made by walking the parser's subcommands, so a new
command or option is covered without editing this file: an unknown option,
a missing positional, a value outside an option's choices, a number that is
not one or is negative, a store that is not one. The cases argparse cannot
see (a query that does not parse, a port in use, a remote that answers 404)
are listed by hand.
"""
from __future__ import annotations

import argparse
import http.server
import socket
import threading

import pytest

from kg import cli


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def _bad_values(action: argparse.Action) -> list[str]:
    """Values the option must refuse, from what it declares: its choices, its
    type (plain numbers, or a validator naming its own ``bad_examples``)."""
    if action.choices:
        return ["no-such-choice"]
    if action.type in (int, float):
        return ["not-a-number"]
    return list(getattr(action.type, "bad_examples", []))


def _argparse_cases():
    for name, sub in _subcommands().items():
        yield f"{name}: unknown option", [name, "--no-such-option"]
        if any(not a.option_strings and a.required for a in sub._actions):
            yield f"{name}: missing argument", [name]
        for action in sub._actions:
            if not action.option_strings or action.nargs == 0:
                continue
            for value in _bad_values(action):
                yield f"{name} {action.option_strings[-1]} {value}", [name, action.option_strings[-1], value]
    yield "no command", []
    yield "unknown command", ["no-such-command"]


ARGPARSE_CASES = list(_argparse_cases())


def run_kg(argv, capsys) -> tuple[int, list[str]]:
    try:
        code = cli.main(argv)
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.strip()]


def assert_one_line_exit_2(code, lines, what):
    assert "Traceback" not in "\n".join(lines), lines
    assert code == 2, (what, code, lines)
    assert len(lines) == 1 and lines[0].startswith("kg"), lines


def test_the_walk_covers_every_command_and_their_typed_options():
    names = {argv[0] for _what, argv in ARGPARSE_CASES if argv}
    assert names >= {"build", "query", "serve", "publish", "explain", "export", "stats", "validate"}
    whats = {what for what, _argv in ARGPARSE_CASES}
    assert {"serve --port -5", "serve --workers not-a-number", "query --store no-such-store",
            "publish --user alice:secret", "serve --trusted-proxy not-an-address"} <= whats


def test_every_validator_of_the_cli_names_values_it_refuses():
    """An option checked by a function of kg.cli must say what it refuses
    (``bad_examples``), or this walk misses it."""
    for name, sub in _subcommands().items():
        for action in sub._actions:
            if action.option_strings and getattr(action.type, "__module__", None) == "kg.cli":
                assert _bad_values(action), f"kg {name} {action.option_strings[-1]}"


@pytest.mark.parametrize("what,argv", ARGPARSE_CASES, ids=[w for w, _ in ARGPARSE_CASES])
def test_a_bad_argument_is_one_line_and_exit_2(what, argv, capsys):
    code, lines = run_kg(argv, capsys)
    assert_one_line_exit_2(code, lines, what)


# ---------------------------------------------------------------- what argparse cannot see

def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NotFoundHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_error(404, "Not Found")

    do_POST = do_PUT = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def http_404():
    """A loopback web server that answers 404 to everything (not a SPARQL endpoint)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFoundHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
SEMANTIC_CASES = {  # what -> (argv, a word the line must hold)
    "query: unknown name": (["query", "no-such-query"], "no-such-query"),
    "query: missing .rq file": (["query", "no/such/file.rq"], "no/such/file.rq"),
    "query: syntax error": (["query", "SELECT ?x WHERE { ?x"], "line 1"),
    "query: unknown prefix": (["query", "SELECT * WHERE {\n  ?s foo:bar ?o }"], "line 2, column 6"),
    "query: --param without =": (["query", "cq01-claims-on-central-rule", "--param", "x"], "--param"),
    "query: --param the query lacks": (["query", "cq01-claims-on-central-rule", "--param", "nope=1"], "nope"),
    "query: unknown --format": (["query", ASK, "--format", "docx"], "docx"),
    "query: ASK as Turtle": (["query", ASK, "--format", "ttl"], "ttl"),
    "query: CONSTRUCT as CSV": (["query", CONSTRUCT, "--format", "csv"], "csv"),
    "query: nothing to run": (["query"], "query"),
    "explain: a term that does not parse": (["explain", "<not an iri", "rdf:type", "pe:Claim"], "S"),
    "export: into a folder that does not exist": (["export", "-o", "/no/such/folder/x.trig"], "/no/such/folder"),
    "publish: not a URL": (["publish", "ftp://example.org/store"], "ftp://example.org/store"),
}


@pytest.mark.parametrize("what", sorted(SEMANTIC_CASES))
def test_a_bad_value_is_one_line_naming_it_and_exit_2(what, built, capsys):
    argv, word = SEMANTIC_CASES[what]
    code, lines = run_kg(argv, capsys)
    assert_one_line_exit_2(code, lines, what)
    assert word in lines[0], lines


def test_serve_on_a_busy_port_is_one_line_and_exit_2(busy_port, built, capsys):
    code, lines = run_kg(["serve", "--port", str(busy_port)], capsys)
    assert_one_line_exit_2(code, lines, "busy port")
    assert str(busy_port) in lines[0] and "in use" in lines[0]


@pytest.mark.parametrize("command", [["query", ASK], ["stats"]])
def test_a_store_url_on_a_closed_port_is_one_line_and_exit_2(command, capsys):
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    code, lines = run_kg([*command, "--store", url], capsys)
    assert_one_line_exit_2(code, lines, "closed port")
    assert "refused" in lines[0].lower()


def test_a_store_url_that_answers_404_is_named_as_404(http_404, capsys):
    code, lines = run_kg(["query", ASK, "--store", http_404 + "/nothing-here"], capsys)
    assert_one_line_exit_2(code, lines, "404")
    assert "404" in lines[0] and "connect" not in lines[0]


def test_publish_to_a_url_that_answers_404_is_one_line(http_404, built, capsys):
    code, lines = run_kg(["publish", http_404 + "/store"], capsys)
    assert_one_line_exit_2(code, lines, "publish 404")
    assert "404" in lines[0]


def test_the_list_piped_into_head_ends_quietly(tmp_path):
    """`kg query --list | head -1` once died with BrokenPipeError."""
    import subprocess
    import sys
    done = subprocess.run(f"'{sys.executable}' -m kg.cli query --list | head -1", shell=True,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() and "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
