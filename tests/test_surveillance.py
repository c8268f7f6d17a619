"""`nox -s surveillance` (tools/surveillance.py) against a stub server on 127.0.0.1.

The stub answers as PubMed's E-utilities (esearch, esummary) and the ClinicalTrials.gov API v2
(/studies) document; no test touches the network. Proves: the recorded strategies are re-run
with the last search date as the lower bound, new records are listed; a host that cannot be
reached is reported "unreachable" and the command still succeeds; an answer that is not the
documented JSON, a refused query or faulty search data is an error (exit status 1).
"""

from __future__ import annotations

import ast
import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import surveillance
from conftest import DOCS, REPO

DATA = DOCS / "data"


class Stub(BaseHTTPRequestHandler):
    mode = "ok"
    seen: list[tuple[str, dict]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = {key: values[0] for key, values in urllib.parse.parse_qs(url.query).items()}
        type(self).seen.append((url.path, query))
        if self.mode in ("503", "400"):
            self.send_error(int(self.mode))
            return
        if url.path.endswith("/esearch.fcgi"):
            body = {"esearchresult": {"count": "2", "idlist": ["40000001", "40000002"]}}
        elif url.path.endswith("/esummary.fcgi"):
            body = {"result": {"uids": ["40000001", "40000002"],
                               "40000001": {"title": "A new LDN trial"},
                               "40000002": {"title": "Another LDN report"}}}
        elif url.path.endswith("/studies"):
            body = {"totalCount": 1, "studies": [{"protocolSection": {"identificationModule": {
                "nctId": "NCT09999999", "briefTitle": "LDN for something new"}}}]}
        else:
            self.send_error(404)
            return
        data = b"<html>not json</html>" if self.mode == "not-json" else json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def stub(mode: str = "ok"):
    handler = type("Handler", (Stub,), {"mode": mode, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler.seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(base_pubmed: str, base_trials: str, tmp_path, data=DATA) -> int:
    return surveillance.main([str(data), "--pubmed", base_pubmed, "--clinicaltrials",
                              base_trials, "--timeout", "5", "--report",
                              str(tmp_path / "surveillance.json")])


def test_strategies_are_rerun_since_the_last_search_and_new_records_listed(tmp_path, capsys):
    with stub() as (base, seen):
        assert run(f"{base}/eutils", f"{base}/ctgov", tmp_path) == 0
    out = capsys.readouterr().out
    assert "S1 PubMed (since 2026-12-06): 2 record(s) newer than the last search" in out
    assert "PMID 40000001: A new LDN trial https://pubmed.ncbi.nlm.nih.gov/40000001/" in out
    assert "S1 ClinicalTrials.gov (since 2026-12-06): 1 record(s)" in out
    assert "NCT09999999: LDN for something new" in out
    assert "E1: not re-run (strategy not recorded)" in out
    searches = [query for path, query in seen if path.endswith("/esearch.fcgi")]
    assert {query["term"] for query in searches} >= {
        "low-dose naltrexone fibromyalgia randomized controlled trial"}
    assert all(query["mindate"] == "2026/12/06" and query["datetype"] == "edat"
               for query in searches)
    trials = [query for path, query in seen if path.endswith("/studies")]
    assert trials and all(query["filter.advanced"] == "AREA[StudyFirstPostDate]RANGE"
                                                      "[2026-12-06,MAX]" for query in trials)
    report = json.loads((tmp_path / "surveillance.json").read_text("utf-8"))
    assert {result["status"] for result in report["results"]} == {"ok"}


def test_an_unreachable_interface_is_reported_and_the_run_succeeds(tmp_path, capsys):
    dead = f"http://127.0.0.1:{closed_port()}"
    assert run(dead, dead, tmp_path) == 0
    out = capsys.readouterr().out
    assert re.search(r"S1 PubMed \(since 2026-12-06\): unreachable: connection refused", out)
    assert "0 new record(s); 8 unreachable; 0 error(s)" in out
    assert "could not reach every interface" in out


def test_a_server_error_counts_as_unreachable(tmp_path, capsys):
    with stub("503") as (base, _):
        assert run(base, base, tmp_path) == 0
    assert "unreachable: HTTP 503" in capsys.readouterr().out


@pytest.mark.parametrize("mode", ["not-json", "400"])
def test_an_answer_that_is_not_the_documented_one_is_an_error(tmp_path, capsys, mode):
    with stub(mode) as (base, _):
        assert run(f"{base}/eutils", f"{base}/ctgov", tmp_path) == 1
    out = capsys.readouterr().out
    assert ": error: " in out and "0 unreachable" in out


def test_faulty_search_data_is_an_error_naming_the_line(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "searches.schema.json").write_bytes((DATA / "searches.schema.json").read_bytes())
    text = (DATA / "searches.yaml").read_text("utf-8").replace("    access: stored-copy",
                                                               "    access: telepathy", 1)
    (data / "searches.yaml").write_text(text, "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "telepathy" in row)
    assert run("http://127.0.0.1:9", "http://127.0.0.1:9", tmp_path, data) == 1
    assert f"searches.yaml:{line}: searches.1.access: 'telepathy' is not one of" in (
        capsys.readouterr().err)


def test_the_session_is_documented_and_never_part_of_the_docs_build():
    tree = ast.parse((REPO / "noxfile.py").read_text("utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    session = functions["surveillance"]
    assert ast.get_docstring(session)
    decorator = ast.unparse(session.decorator_list[0])
    assert "default=False" in decorator
    assert "surveillance" not in ast.unparse(functions["guide_build_commands"])
    assert "surveillance" not in ast.unparse(functions["docs"])


def test_the_script_starts_as_the_session_runs_it(tmp_path):
    """The session runs tools/surveillance.py by path with docs/_ext on PYTHONPATH: that import
    path must work outside pytest's own pythonpath too."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "docs" / "_ext")}
    result = subprocess.run([sys.executable, str(REPO / "tools" / "surveillance.py"), "--help"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "tools/surveillance.py" in result.stdout
