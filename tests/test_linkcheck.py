"""The external link check (`nox -s linkcheck`, ldn_guide/adapters/link_report.py), offline.

A stub HTTP server on 127.0.0.1 plays the sites the guide links to: working pages, DOI-style
redirects, publishers that block robots (401, 403), 404/410/500/503, a server that refuses
HEAD, rate limits (429) and a slow reply. No request leaves the machine: the only other hosts
are `.invalid` (RFC 2606), which never resolve or, for the blocked publisher, are never asked."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import FRONT_MATTER, make_project, project_env, sphinx_build

import noxfile

CLASSES = ("ok", "broken", "blocked", "unverifiable")
PUBLISHER = "publisher.invalid"  # stands for a blocked publisher; never requested
SLOW_SECONDS = 3  # the slow route answers after this; the fixture's timeout is 1 s
STATUS = {"/unauthorized": 401, "/forbidden": 403, "/gone": 404, "/removed": 410,
          "/error": 500, "/unavailable": 503}


class Stub(BaseHTTPRequestHandler):
    """Each route answers like a kind of site the guide links to."""

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        self.answer(head=False)

    def answer(self, head: bool) -> None:
        path, headers, status = self.path, {}, 200
        if path == "/moved":  # a page that moved: not an allowed redirect
            status, headers = 301, {"Location": "/ok"}
        elif path == "/doi/10.1000/ok":  # like doi.org -> the article (allowed redirect)
            status, headers = 302, {"Location": "/ok"}
        elif path == "/doi/10.1002/blocked":  # like doi.org -> a publisher that blocks robots
            status, headers = 302, {"Location": f"http://{PUBLISHER}/article"}
        elif path in STATUS:
            status = STATUS[path]
        elif path == "/head-405" and head:  # like PMC: no HEAD, GET works
            status = 405
        elif path == "/rate-limited":  # 429 with Retry-After once, then fine
            self.server.hits[path] = hits = self.server.hits.get(path, 0) + 1
            if hits == 1:
                status, headers = 429, {"Retry-After": "1"}
        elif path == "/rate-limited-always":  # 429 without Retry-After, every time
            status = 429
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
        body = b'<html><body><h1 id="present">Page</h1></body></html>'
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass


class StubServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:
        pass  # the slow route writes to a client that has given up: expected

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Stub)
        self.hits: dict[str, int] = {}


@contextlib.contextmanager
def stub_server():
    """A fresh server (fresh rate-limit state) per build; yields its base URL."""
    server = StubServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def links(base: str) -> dict[str, str]:
    """Link -> the class link_report must give it."""
    return {
        f"{base}/ok": "ok",
        f"{base}/doi/10.1000/ok": "ok",
        f"{base}/head-405": "ok",
        f"{base}/rate-limited": "ok",
        f"{base}/doi/10.1002/blocked": "blocked",
        f"http://{PUBLISHER}/direct": "blocked",
        f"{base}/forbidden": "blocked",
        f"{base}/unauthorized": "blocked",
        f"{base}/rate-limited-always": "blocked",
        f"{base}/slow": "unverifiable",
        f"http://127.0.0.1:{closed_port()}/refused": "unverifiable",
        "http://no-such-host.invalid/page": "unverifiable",
        f"{base}/unavailable": "unverifiable",
        f"{base.replace('http:', 'https:')}/tls": "unverifiable",  # TLS to a plain-HTTP port
        f"{base}/gone": "broken",
        f"{base}/removed": "broken",
        f"{base}/error": "broken",
        f"{base}/moved": "broken",
        f"{base}/ok#missing": "broken",
    }


def linkcheck_project(root: Path, urls: list[str]) -> Path:
    """A fixture project whose page links to each URL, one per line. Its one reference is a
    web page on the stub (the usual fixture entry's DOI would send a request to doi.org)."""
    page = FRONT_MATTER + "# External links\n\n" + "".join(f"* <{url}>\n" for url in urls)
    index = FRONT_MATTER + "# Fixture guide\n\nA fact {cite:p}`page2026`.\n\n" + (
        "```{toctree}\nlinks\nreferences\n```\n")
    bib = (f"@misc{{page2026,\n  author = {{Fixture Press}},\n  title = {{A web page}},\n"
           f"  year = {{2026}},\n  url = {{{urls[0]}}},\n  urldate = {{2026-01-01}},\n"
           "  verified = {fixture},\n}\n")
    project = make_project(root, pages={"links.md": page, "index.md": index}, bib=bib)
    # A float setting cannot be given with -D: give up on a 429 without Retry-After at once.
    with (project / "docs" / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nlinkcheck_rate_limit_timeout = 1.0\n")
    return project


def overrides(base: str) -> list[str]:
    """Fast, bounded settings; the stub's /doi/ plays doi.org, publisher.invalid a blocker."""
    settings = {
        "linkcheck_timeout": "1",
        "linkcheck_retries": "1",
        "linkcheck_workers": "5",
        f"linkcheck_allowed_redirects.{base.replace('.', '[.]')}/doi/.*": ".*",
        f"linkcheck_blocked_domains.{PUBLISHER}": "Fixture Press blocks automated clients",
    }
    return [arg for name, value in settings.items() for arg in ("-D", f"{name}={value}")]


@pytest.fixture(scope="module", autouse=True)
def offline_env():
    """No proxy, so 127.0.0.1 and .invalid stay local (conftest puts this venv on PATH)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("http_proxy", "https_proxy", "all_proxy"):
            patch.delenv(name, raising=False)
            patch.delenv(name.upper(), raising=False)
        patch.setenv("NO_PROXY", "*")
        yield


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory):
    """One linkcheck build (the test helper's strict -q build, in this process) over every kind
    of link; test_printed_summary runs the command itself."""
    with stub_server() as base:
        expected = links(base)
        project = linkcheck_project(tmp_path_factory.mktemp("every-kind"), list(expected))
        started = time.monotonic()
        build = sphinx_build(project, "linkcheck", *overrides(base))
        elapsed = time.monotonic() - started
    summary = json.loads((build.outdir / "summary.json").read_text(encoding="utf-8"))
    return expected, build, summary, elapsed


def test_every_link_gets_its_class(every_kind):
    expected, build, summary, _ = every_kind
    got = {link["uri"]: link["class"] for link in summary["links"]}
    assert got == expected, build.warnings


def counts_of(classes) -> dict[str, int]:
    counted = Counter(classes)
    return {kind: counted[kind] for kind in CLASSES}


def test_counts_and_reasons(every_kind):
    expected, _, summary, elapsed = every_kind
    assert all(counts_of(expected.values()).values()), "the fixture has a link of each class"
    assert summary["counts"] == counts_of(expected.values())
    reasons = {link["uri"].rsplit("/", 1)[-1]: link["reason"] for link in summary["links"]}
    assert reasons["gone"] == "404 Not Found"
    assert reasons["removed"] == "410 Gone"
    assert reasons["error"] == "500 Internal Server Error"
    assert reasons["unauthorized"] == "needs a login (401)"
    assert reasons["unavailable"] == "service unavailable (503)"
    assert reasons["tls"] == "TLS/SSL error"
    assert reasons["forbidden"] == "refuses automated clients (403)"
    assert reasons["rate-limited-always"] == "still rate-limited (429) after back-off"
    assert reasons["blocked"] == reasons["direct"] == "Fixture Press blocks automated clients"
    assert reasons["slow"] == "no answer in time (timeout)"
    assert reasons["refused"] == "connection refused"
    assert reasons["page"] == "host name not found (DNS; no network?)"
    assert reasons["moved"].startswith("redirects to http://127.0.0.1:")
    assert reasons["ok#missing"] == "Anchor 'missing' not found"
    assert elapsed < SLOW_SECONDS + 10  # every request loop is bounded


def test_broken_link_fails_the_build(every_kind):
    _, build, _, _ = every_kind
    assert build.failed
    # Under -q Sphinx would warn about each broken link and timeout; link_report keeps those
    # as info lines, so the only failure is its verdict, not a warning.
    assert "WARNING" not in build.warnings


def test_blocked_and_unverifiable_do_not_fail(tmp_path):
    with stub_server() as base:
        passing = [url for url, kind in links(base).items() if kind != "broken"]
        build = sphinx_build(linkcheck_project(tmp_path, passing), "linkcheck", *overrides(base))
    summary = json.loads((build.outdir / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"] == counts_of(kind for kind in links(base).values()
                                          if kind != "broken")
    assert build.returncode == 0, build.warnings


def test_printed_summary(tmp_path):
    """The lines a user sees from `nox -s linkcheck` (its exact command, not quiet)."""
    with stub_server() as base:
        urls = [f"{base}/ok", f"{base}/gone", f"{base}/forbidden", "http://no-such-host.invalid/"]
        project = linkcheck_project(tmp_path, urls)
        result = subprocess.run(
            noxfile.linkcheck_command(Path("build"), *overrides(base)),
            cwd=project, capture_output=True, text=True, env=project_env(),
        )
    out = result.stdout
    summary = out[out.index("Link summary:"):].splitlines()
    assert summary[:7] == [
        "Link summary: 1 ok, 1 broken, 1 blocked, 1 unverifiable"
        " (1 in-page or mailto links not checked)",
        "broken (1): fix these links; they fail the build",
        f"  docs/links.md:9: {base}/gone - 404 Not Found",
        "blocked (1): the site refuses automated checks; open these in a browser",
        f"  docs/links.md:10: {base}/forbidden - refuses automated clients (403)",
        "unverifiable (1): no answer; check again later or on a machine with network",
        "  docs/links.md:11: http://no-such-host.invalid/ - host name not found (DNS; no network?)",
    ]
    assert summary[7] == "Summary written to build/linkcheck/summary.json"
    assert result.returncode == 1
