"""Sessions for building, checking and testing the LDN provider guide.

Run ``nox -l`` to list them. A bare ``nox`` runs nothing: always name a session.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent


def load_tool(name: str):
    """tools/NAME.py as a module (standard library only: nox imports it before any virtual
    environment exists), without putting tools/ on everyone's sys.path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


system_packages = load_tool("system_packages")

nox.needs_version = ">=2025.10"
nox.options.sessions = []
nox.options.reuse_venv = "yes"
# The project's machines reach package registries but nothing else: never fetch interpreters.
nox.options.download_python = "never"
# Without Python 3.13 nox would report the session "skipped" and exit 0, building nothing.
nox.options.error_on_missing_interpreters = True

# Sphinx 9.2 needs Python 3.13 (README, "Why Python 3.13").
PYTHON = "3.13"
BUILD = ROOT / "build"
LOCKED = ROOT / "requirements"


def build_env() -> dict[str, str]:
    """Pin every timestamp the build writes to the last commit, so builds are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        )
        epoch = result.stdout.strip() or "0"
    return {"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "0", "TZ": "UTC"}


def install(session: nox.Session, group: str) -> None:
    session.install("-r", str(LOCKED / f"{group}.txt"))


# The Nu HTML Checker for the HTML-validity test (npm package vnu-jar; runs on the machine's Java).
VNU_JAR_VERSION = "26.9.27"


def install_html_checker(session: nox.Session) -> str:
    """vnu.jar beside the session's virtual environment (installed once, from the npm registry)."""
    prefix = Path(session.virtualenv.location) / "vnu"
    jar = prefix / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        if shutil.which("npm") is None:  # Node.js and npm come with the project's machines
            session.error("npm is missing: install Node.js and npm (apt-get install -y npm), "
                          "or skip the browser tests with -- -m 'not browser'")
        session.run("npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                    "--silent", f"vnu-jar@{VNU_JAR_VERSION}", external=True)
    return str(jar)


def install_system_packages(session: nox.Session, group: str) -> None:
    """The Debian packages declared in pyproject.toml for this session, if any is missing."""
    system_packages.ensure(group, log=session.log)


def guide_build_commands(build: Path = BUILD, *extra: str) -> list[list[str]]:
    """The commands behind `nox -s docs`; the tests run the same list on the real guide."""
    return [
        # The HTML guide; the PDFs, made from the same parsed sources while the pages are
        # written; and an offline check of every internal link and anchor (both in the
        # guide's extension, docs/_ext/ldn_guide). External links: `nox -s linkcheck`.
        # No -j: the PDF workers already keep the second core busy, and Sphinx's parallel
        # readers and writers only competed with them (5 % slower with -j auto, paired runs).
        ["sphinx-build", "-b", "html", "-n", "-W", "--keep-going", "-q",
         "-d", str(build / "doctrees"), "-D", "pdf_guides=1", "-D", "internal_links_check=1",
         *extra, "docs", str(build / "html")],
    ]


def linkcheck_command(build: Path = BUILD, *extra: str) -> list[str]:
    """The command behind `nox -s linkcheck`; its tests run it against a stub server."""
    return ["sphinx-build", "-b", "linkcheck", "-n", "-W", "--keep-going",
            "-d", str(build / "doctrees-linkcheck"), *extra, "docs", str(build / "linkcheck")]


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the HTML guide and the PDFs into build/html (strict, offline, links checked)."""
    install_system_packages(session, "docs")
    install(session, "docs")
    shutil.rmtree(BUILD, ignore_errors=True)
    for command in guide_build_commands(BUILD, *session.posargs):
        session.run(*command, env=build_env())
    session.log(f"HTML guide: {BUILD / 'html' / 'index.html'}; PDFs: {BUILD / 'html' / 'pdf'}")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (builds the guide and fixture projects; drives Chromium)."""
    install_system_packages(session, "tests")
    install(session, "test")
    env = {**build_env(), "VNU_JAR": install_html_checker(session)}
    session.run("pytest", *session.posargs, env=env)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Lint the Python (ruff), the spelling (codespell) and the clinical wording."""
    install(session, "lint")
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure", *session.posargs)


@nox.session(python=PYTHON, default=False)
def preview(session: nox.Session) -> None:
    """Serve a live preview on http://127.0.0.1:8000 that rebuilds on every save."""
    install(session, "preview")
    session.run(
        "sphinx-autobuild",
        "-n",  # no -a needed: a page citing refs.bib depends on it (ldn_guide adapters/bib.py)
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        "refs.bib",
        "docs",
        str(BUILD / "preview"),
        *session.posargs,
    )


@nox.session(python=PYTHON, default=False)
def linkcheck(session: nox.Session) -> None:
    """Check external links (needs network); prints broken / blocked / ok and fails on broken."""
    install(session, "docs")
    # The guide's extension (adapters/link_report.py) prints the summary and sets the exit
    # status: only broken links
    # fail; publishers that block robots and unreachable hosts are listed, not failed.
    session.run(*linkcheck_command(BUILD, *session.posargs))


@nox.session(python=PYTHON, default=False)
def surveillance(session: nox.Session) -> None:
    """Re-run the recorded searches on PubMed and ClinicalTrials.gov; list new records (network)."""
    # Never part of `nox -s docs`, the tests or CI; without network it reports "unreachable"
    # and succeeds. Record a new search in docs/data/searches.yaml by hand, as it was run.
    install(session, "docs")
    # It lives in tools/, outside the build's code, because it reads the network; it reuses
    # the extension's search rules, hence PYTHONPATH.
    session.run("python", str(ROOT / "tools" / "surveillance.py"), str(ROOT / "docs" / "data"),
                "--report", str(BUILD / "surveillance.json"), *session.posargs,
                env={"PYTHONPATH": str(ROOT / "docs" / "_ext")})


@nox.session(name="review-status", python=False, default=False)
def review_status(session: nox.Session) -> None:
    """List the pages whose next review date has passed (reads today's date)."""
    # `python -m` imports from the working directory: ldn_guide from docs/_ext.
    session.chdir(ROOT / "docs" / "_ext")
    session.run(sys.executable, "-m", "ldn_guide.rules.review_dates", "../../docs",
                datetime.date.today().isoformat(), external=True)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Time the build against bare Sphinx, and the test suite against `nox -R -s docs`."""
    # The docs tools, plus nox: the benchmark reuses its commands, and times `nox -R -s docs`
    # and `nox -R -s tests` (with and without the browser tests) in the same run.
    install(session, "test")
    session.run("python", "benchmarks/bench.py", *session.posargs, env=build_env())


@nox.session(name="release-snapshot", python=PYTHON, default=False)
def release_snapshot(session: nox.Session) -> None:
    """At release: record the edition's recommendations (nox -s release-snapshot -- 2026.2 DATE)."""
    if len(session.posargs) != 2:
        session.error("give the edition and its publication date: -- 2026.2 2026-12-15")
    install(session, "docs")
    # `python -m` imports from the working directory: ldn_guide from docs/_ext, no PYTHONPATH.
    with session.chdir(ROOT / "docs" / "_ext"):
        session.run("python", "-m", "ldn_guide.release", str(ROOT / "docs" / "data"),
                    *session.posargs)


@nox.session(python=PYTHON, default=False)
def screen(session: nox.Session) -> None:
    """Run a patient file through "Before you supply": nox -s screen -- PATIENT.json."""
    if len(session.posargs) != 1:
        session.error("give one patient file: nox -s screen -- PATIENT.json")
    install(session, "docs")
    # The table's rules (rules/screening.py, screening_patients.py); a bad file: one line, exit 1.
    patient = Path(session.invoked_from) / session.posargs[0]
    session.chdir(ROOT / "docs" / "_ext")  # `python -m` imports ldn_guide from here
    session.run("python", "-m", "ldn_guide.rules.screening_patients",
                str(ROOT / "docs" / "data" / "screening.yaml"), str(patient))


@nox.session(python=PYTHON, default=False)
def lock(session: nox.Session) -> None:
    """Refresh the exact versions in requirements/*.txt from pyproject.toml."""
    session.install("uv")
    for group in ("docs", "test", "lint", "preview"):
        session.run(
            "uv", "pip", "compile", "pyproject.toml", "--group", group,
            "--python-version", PYTHON, "--generate-hashes", "--no-header", "--quiet",
            "--upgrade", "-o", str(LOCKED / f"{group}.txt"),
        )
