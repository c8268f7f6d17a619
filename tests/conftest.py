"""Shared helpers: tiny fixture projects built with the guide's real configuration.

Fixture projects are built in this process with Sphinx's own API, exactly as ``sphinx-build
-n -W --keep-going -q`` builds them (about 0.4 s each instead of 1.8 s for a subprocess): same
configuration, same extensions (myst_parser, sphinxcontrib.bibtex, ldn_guide; furo as the
theme), same warning text and exit status. The real guide is built once per session with the
commands of ``nox -s docs``; the README's own command runs once, in a copy of the repository.

Nothing here writes into the checkout: every build goes to a temporary folder, and the session
fails if the suite changed `git status` or the checkout's build/ folder.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
ROOTS = Path(__file__).resolve().parent / "roots"

FRONT_MATTER = "---\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\n---\n\n"
# The one refs.bib entry a fixture project starts with (also tests/unit/test_bib_fields.py's).
GOOD_BIB = (ROOTS / "good.bib").read_text(encoding="utf-8")
GOOD_INDEX = FRONT_MATTER + """# Fixture guide

A fact {cite:p}`smith2020`.

```{toctree}
references
```
"""
REFERENCES = FRONT_MATTER + "# References\n\n```{bibliography}\n```\n"
# Fixed timestamps for every build the tests make (nox passes the last commit's instead).
SOURCE_DATE_EPOCH = "1764000000"


def build_env() -> dict[str, str]:
    """Fixed timestamps, and this venv's tools (sphinx-build, lychee) first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "PYTHONHASHSEED": "0", "TZ": "UTC", "PYTHONDONTWRITEBYTECODE": "1"}


# The folder that holds the ldn_guide package: the PYTHONPATH of a subprocess that imports it
# (a fixture project's sphinx-build, a rule run as a command), as conf.py puts it on sys.path.
EXTENSION_HOME = str(DOCS / "_ext")


def project_env(*first: str) -> dict[str, str]:
    """build_env() for a subprocess that imports the guide's extension (``first``: folders
    that come before it on PYTHONPATH)."""
    return {**build_env(), "PYTHONPATH": os.pathsep.join([*first, EXTENSION_HOME])}


@dataclass
class Build:
    returncode: int
    warnings: str
    outdir: Path

    @property
    def failed(self) -> bool:
        return self.returncode != 0


def make_project(root: Path, pages: dict[str, str] | None = None, bib: str = GOOD_BIB,
                 data: dict[str, str] | None = None) -> Path:
    """A copy of the guide's configuration with the given pages and refs.bib, built with the
    checkout's one extension."""
    docs = root / "docs"
    for name in ("_static", "_templates"):
        shutil.copytree(DOCS / name, docs / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(DOCS / "conf.py", docs / "conf.py")
    # No docs/_ext: the extension finds every file through the project (app.srcdir), so the
    # checkout's one package serves every project. In this process it is imported from pytest's
    # pythonpath; a `sphinx-build` subprocess gets it on PYTHONPATH (project_env()). conf.py's
    # sys.path.append of the project's docs/_ext then appends a folder that is not there.
    (docs / "data" / "conditions").mkdir(parents=True)
    # The project's own schema: the build validates its condition files against it.
    for schema in ("guideline.schema.json", "screening.schema.json", "excerpts.schema.json"):
        shutil.copy(DOCS / "data" / schema, docs / "data")
    shutil.copy(DOCS / "data" / "screening.schema.json", docs / "data")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "refs.bib").write_text(bib, encoding="utf-8")
    pages = {"index.md": GOOD_INDEX, "references.md": REFERENCES, **(pages or {})}
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    for name, text in (data or {}).items():
        (docs / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / "data" / name).write_text(text, encoding="utf-8")
    return root


def make_root(name: str, target: Path) -> Path:
    """A fixture project from tests/roots/NAME: its refs.bib, docs/ pages and docs/data/ files
    on top of the guide's configuration (the root's files replace the default pages)."""
    source = ROOTS / name
    files = {str(path.relative_to(source / "docs")): path.read_text(encoding="utf-8")
             for path in sorted((source / "docs").rglob("*")) if path.is_file()}
    pages = {path: text for path, text in files.items() if not path.startswith("data/")}
    data = {path.removeprefix("data/"): text for path, text in files.items()
            if path.startswith("data/")}
    return make_project(target, pages=pages, bib=(source / "refs.bib").read_text("utf-8"),
                        data=data)


def parse_options(extra: tuple[str, ...]) -> dict[str, str]:
    """`-D name=value` pairs, the only sphinx-build options the tests pass."""
    overrides, options = {}, list(extra)
    while options:
        option = options.pop(0)
        if option != "-D" or not options:
            raise ValueError(f"sphinx_build() supports only -D name=value, not {option!r}")
        name, _, value = options.pop(0).partition("=")
        overrides[name] = value
    return overrides


def sphinx_loggers() -> list[logging.Logger]:
    return [logger for name, logger in list(logging.Logger.manager.loggerDict.items())
            if name.startswith("sphinx") and isinstance(logger, logging.Logger)]


@contextlib.contextmanager
def build_process_state(project: Path):
    """What a `sphinx-build` subprocess would have: the project as working directory, the
    build environment's variables, and a sys.path that conf.py's changes do not outlive."""
    saved_cwd, saved_path, saved_env = os.getcwd(), sys.path[:], dict(os.environ)
    # The extension's modules stay imported from one build to the next, as in Sphinx's own
    # tests: it keeps no state between builds outside the environment (its caches are keyed by
    # their inputs or cleared at each build), and it reads every file through the project.
    # Filters an extension adds to a Sphinx logger (adapters/link_report.py does, for
    # linkcheck) would outlive the build in this process: each build starts without them.
    saved_filters = {logger: list(logger.filters) for logger in sphinx_loggers()}
    env = build_env()
    os.environ.update({name: env[name] for name in ("PATH", "SOURCE_DATE_EPOCH", "TZ")})
    time.tzset()
    os.chdir(project)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for logger in sphinx_loggers():
            logger.filters[:] = saved_filters.get(logger, [])
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()


def sphinx_build(project: Path, builder: str = "html", *extra: str) -> Build:
    """Build a fixture project the way `nox -s docs` builds the guide (strict), in this process
    (sphinx.testing's SphinxTestApp).

    The same as ``sphinx-build -b BUILDER -n -W --keep-going -q -d build/doctrees EXTRA docs
    build/BUILDER`` run in PROJECT (sphinx/cmd/build.py, build_main): warnings go to
    ``Build.warnings`` as the command prints them ("file:line: WARNING: message"); the exit
    status is 1 after any warning, the code of a SystemExit (the guide's bib and encoding
    checks stop with 2), or 2 after any other exception, whose report Sphinx's own handler
    writes to the warnings as it would to stderr.
    """
    from sphinx._cli.util.colour import disable_colour
    from sphinx._cli.util.errors import handle_exception
    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    disable_colour()  # as for a command whose stderr is not a terminal
    docs, out = project / "docs", project / "build" / builder
    overrides = {**parse_options(extra), "nitpicky": True}  # -D ..., -n
    warnings = io.StringIO()
    app = None
    with build_process_state(project):
        try:
            with patch_docutils(docs), docutils_namespace():
                # build/BUILDER and build/doctrees, as the command line above.
                app = SphinxTestApp(builder, srcdir=docs, builddir=project / "build",
                                    confoverrides=overrides, warning=warnings,
                                    warningiserror=True)  # -W; --keep-going is the default
                try:
                    app.build()
                finally:
                    app.cleanup()
                returncode = app.statuscode
        except SystemExit as stop:
            returncode = stop.code if isinstance(stop.code, int) else 1
        except Exception as error:  # reported as sphinx-build reports it
            handle_exception(error, stderr=warnings,
                             message_log=app.messagelog if app else (),
                             extensions=app.extensions.values() if app else ())
            returncode = 2
    return Build(returncode, warnings.getvalue(), out)


def sphinx_build_command(project: Path, builder: str = "html", *extra: str) -> Build:
    """The same build as a real `sphinx-build` subprocess, for the tests that must see the
    command's own output (a traceback printed by Python, not by Sphinx, for instance)."""
    out = project / "build" / builder
    result = subprocess.run(
        ["sphinx-build", "-b", builder, "-n", "-W", "--keep-going", "-q", "--no-color",
         "-d", str(project / "build" / "doctrees"), *extra, "docs", str(out)],
        cwd=project, capture_output=True, text=True, env=project_env(),
    )
    return Build(result.returncode, result.stderr, out)


def repository_copy(target: Path) -> Path:
    """The working tree in a temporary folder (no build/), sharing the checkout's nox
    environments that exist, so the README's command runs as an author runs it.

    Each existing environment is linked on its own, never the whole .nox folder: an
    environment that nox creates in the copy would write the copy's path into its scripts'
    first lines (`#!/tmp/.../.nox/docs/bin/python`), and the author's `nox -s docs` would stop
    with "cannot execute" once the copy is gone. One missing here is made in the copy."""
    shutil.copytree(REPO, target, symlinks=True, ignore=shutil.ignore_patterns(
        "build", ".nox", "__pycache__", ".pytest_cache"))
    if (REPO / ".nox").is_dir():
        (target / ".nox").mkdir()
        for environment in sorted((REPO / ".nox").iterdir()):
            if (environment / "bin" / "python").exists():
                (target / ".nox" / environment.name).symlink_to(environment)
    return target


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", readme, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


@dataclass
class ReadmeBuild:
    """The README's build command, run in a copy of the repository."""

    command: list[str]
    result: subprocess.CompletedProcess
    build: Path  # the copy's build/ folder


class Snapshot:
    """The working tree as the session found it, copied once into a temporary folder: both
    full builds of the guide read these sources, so an edit made in the checkout while the
    tests run cannot make them differ. The README's `python3 -m nox -s docs` starts in it as
    soon as the tests are collected and runs on the second core while this process runs the
    tests (an in-process build uses one); the `readme_build` fixture waits for it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ldn-guide-tests-"))
        self.repo = repository_copy(self.folder / "repo")
        self.process: subprocess.Popen | None = None
        self.guide_process: subprocess.Popen | None = None

    def start_guide_build(self) -> None:
        """The `guide` build, started with the session: it runs while the tests that need no
        full build run, instead of after them (the suite's wall time is the sum otherwise)."""
        import noxfile

        [command] = noxfile.guide_build_commands(self.folder / "guide")
        self.guide_log = (self.folder / "guide.log").open("w+", encoding="utf-8")
        self.guide_process = subprocess.Popen(command, cwd=self.repo, stdout=self.guide_log,
                                              stderr=subprocess.STDOUT, text=True,
                                              env=build_env(), start_new_session=True)

    def guide_build(self) -> Path:
        if self.guide_process is None:
            self.start_guide_build()
        if self.guide_process.wait():
            self.guide_log.seek(0)
            pytest.fail(f"the guide's build failed:\n{self.guide_log.read()}", pytrace=False)
        return self.folder / "guide"

    def start_readme_build(self) -> None:
        command = next(c for c in readme_commands() if "nox -s docs" in c)
        self.command = command.split("&&")[-1].split()
        self.log = (self.folder / "nox.log").open("w+", encoding="utf-8")
        # As an author runs it, but with the tests' SOURCE_DATE_EPOCH (nox keeps one it is
        # given), so that its output can be compared byte for byte with the `guide` build.
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        # At a lower priority: it fills the core the tests leave idle, and yields to them.
        self.process = subprocess.Popen([sys.executable, *self.command[1:]], cwd=self.repo,
                                        stdout=self.log, stderr=subprocess.STDOUT, text=True,
                                        env=env, start_new_session=True,
                                        preexec_fn=lambda: os.nice(10))

    def readme_build(self) -> ReadmeBuild:
        if self.process is None:
            self.start_readme_build()
        returncode = self.process.wait()
        self.log.seek(0)
        result = subprocess.CompletedProcess(self.command, returncode, self.log.read(), "")
        return ReadmeBuild(self.command, result, self.repo / "build")

    def remove(self) -> None:
        for process, log in ((self.process, "log"), (self.guide_process, "guide_log")):
            if process is not None:
                if process.poll() is None:  # the session ended early (-x, Ctrl-C)
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait()
                getattr(self, log).close()
        shutil.rmtree(self.folder, ignore_errors=True)


def snapshot(config) -> Snapshot:
    if getattr(config, "ldn_snapshot", None) is None:
        config.ldn_snapshot = Snapshot()
    return config.ldn_snapshot


FULL_BUILDS = ("guide", "readme_build")


def pytest_collection_modifyitems(session, config, items):
    """The tests that need no full build of the guide run first, while both full builds run
    in the background (pytest_collection_finish); pytest's order is kept within each group."""
    items.sort(key=lambda item: any(name in getattr(item, "fixturenames", ())
                                    for name in FULL_BUILDS))


def pytest_collection_finish(session):
    fixtures = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if session.config.option.collectonly:
        return
    if "guide" in fixtures:
        snapshot(session.config).start_guide_build()
    if "readme_build" in fixtures:
        snapshot(session.config).start_readme_build()


@pytest.fixture(scope="session")
def readme_build(request) -> ReadmeBuild:
    """The README's `python3 -m nox -s docs`, once per session, in a copy of the repository:
    the second full build of the guide (test_build compares it with `guide`)."""
    return snapshot(request.config).readme_build()


@pytest.fixture(scope="session")
def guide(request) -> Path:
    """The real guide, built once per test session with the commands of `nox -s docs` (from
    the session's snapshot of the working tree, started when the tests were collected);
    returns the build folder."""
    return snapshot(request.config).guide_build()


@pytest.fixture
def project(tmp_path):
    return lambda **kwargs: make_project(tmp_path, **kwargs)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright, once per session (tests/browser.py)."""
    from browser import CHROMIUM, CHROMIUM_ARGS, chromium_available

    if not chromium_available():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `apt-get install chromium` "
                    "(never `playwright install`), or deselect with -m 'not browser'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def faults(tmp_path_factory) -> Build:
    """tests/roots/faults: one small guide holding every fault the build reports without
    stopping, built once with the offline link check on; each test asserts its own message."""
    root = make_root("faults", tmp_path_factory.mktemp("faults"))
    return sphinx_build(root, "html", "-D", "internal_links_check=1")


@pytest.fixture(scope="session")
def clean(tmp_path_factory) -> Build:
    """tests/roots/clean: a small guide without a fault, using every feature the fault root
    breaks (flagged retraction, evidence table and figure, review dates, a raw-HTML link)."""
    return sphinx_build(make_root("clean", tmp_path_factory.mktemp("clean")))


# -- The checkout is left as it was ---------------------------------------------------------

def checkout_state() -> tuple[str, list[tuple[str, int, int]]]:
    """`git status --porcelain`, and every file under build/ with its size and mtime."""
    status = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True,
                            text=True).stdout
    build = REPO / "build"
    files = sorted((str(path.relative_to(build)), path.stat().st_size, path.stat().st_mtime_ns)
                   for path in build.rglob("*") if path.is_file()) if build.exists() else []
    return status, files


def pytest_sessionstart(session):
    session.config.checkout_before = checkout_state()


def pytest_sessionfinish(session, exitstatus):
    if getattr(session.config, "ldn_snapshot", None) is not None:
        session.config.ldn_snapshot.remove()
    before = getattr(session.config, "checkout_before", None)
    if before is not None and checkout_state() != before:
        session.config.get_terminal_writer().line(
            "ERROR: the test suite changed the checkout (git status or build/); every test "
            "must write to a temporary folder", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
