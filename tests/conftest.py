"""Shared helpers: tiny fixture projects built with the guide's real configuration.

Nothing here writes into the checkout: every build goes to a temporary folder, and the session
fails if the suite changed `git status` or the checkout's build/ folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
sys.path.insert(0, str(REPO))
sys.path.append(str(DOCS / "_ext"))  # the guide's rules (ldn_guide.rules), as conf.py adds it

FRONT_MATTER = "---\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\n---\n\n"
GOOD_BIB = """@article{smith2020,
  author = {Smith, Jane},
  title = {A trial},
  journal = {Journal of Trials},
  year = {2020},
  doi = {10.1000/trial.1},
  verified = {fixture},
}
"""
GOOD_INDEX = FRONT_MATTER + """# Fixture guide

A fact {cite:p}`smith2020`.

```{toctree}
references
```
"""
REFERENCES = FRONT_MATTER + "# References\n\n```{bibliography}\n```\n"


def build_env() -> dict[str, str]:
    """Fixed timestamps, and this venv's tools (sphinx-build, lychee) first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, "SOURCE_DATE_EPOCH": "1764000000",
            "PYTHONHASHSEED": "0", "TZ": "UTC", "PYTHONDONTWRITEBYTECODE": "1"}


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
    """A copy of the guide's configuration and extensions with the given pages and refs.bib."""
    docs = root / "docs"
    for name in ("_ext", "_static", "_templates"):
        shutil.copytree(DOCS / name, docs / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(DOCS / "conf.py", docs / "conf.py")
    (docs / "data" / "evidence").mkdir(parents=True)
    shutil.copy(DOCS / "data" / "evidence.schema.json", docs / "data")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "refs.bib").write_text(bib, encoding="utf-8")
    pages = {"index.md": GOOD_INDEX, "references.md": REFERENCES, **(pages or {})}
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    for name, text in (data or {}).items():
        (docs / "data" / name).write_text(text, encoding="utf-8")
    return root


def sphinx_build(project: Path, builder: str = "html", *extra: str) -> Build:
    """Build a fixture project the way `nox -s docs` builds the guide (strict)."""
    out = project / "build" / builder
    result = subprocess.run(
        ["sphinx-build", "-b", builder, "-n", "-W", "--keep-going", "-q",
         "-d", str(project / "build" / "doctrees"), *extra, "docs", str(out)],
        cwd=project, capture_output=True, text=True, env=build_env(),
    )
    return Build(result.returncode, result.stderr, out)


def build_guide(build: Path) -> None:
    """Run exactly the commands of `nox -s docs` on the real guide."""
    import noxfile

    for command in noxfile.guide_build_commands(build):
        subprocess.run(command, cwd=REPO, check=True, env=build_env())


@pytest.fixture(scope="session")
def guide(tmp_path_factory) -> Path:
    """The real guide, built once per test session; returns the build folder."""
    build = tmp_path_factory.mktemp("guide") / "build"
    build_guide(build)
    return build


@pytest.fixture
def project(tmp_path):
    return lambda **kwargs: make_project(tmp_path, **kwargs)


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
    before = getattr(session.config, "checkout_before", None)
    if before is not None and checkout_state() != before:
        session.config.get_terminal_writer().line(
            "ERROR: the test suite changed the checkout (git status or build/); every test "
            "must write to a temporary folder", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
