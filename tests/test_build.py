"""The foundation: strict, offline, reproducible, and documented commands that work."""

from __future__ import annotations

import filecmp
import functools
import os
import re
import subprocess
import sys

import pytest
from conftest import REPO, readme_commands


def test_guide_builds_html_and_pdfs(guide):
    assert (guide / "html" / "index.html").is_file()
    for name in ("ldn-provider-guide", "ldn-quick-reference", "ldn-patient-handout"):
        assert (guide / "html" / "pdf" / f"{name}.pdf").stat().st_size > 10_000


def test_unknown_citation_key_fails_naming_file_and_key(faults):
    assert faults.failed
    assert re.search(r"chapter\.md:8: WARNING: could not find bibtex key \"nokey2000\"",
                     faults.warnings)


def test_broken_cross_reference_fails_naming_file_and_target(faults):
    assert faults.failed
    assert re.search(r"chapter\.md:10: WARNING: unknown document: 'no-such-page'",
                     faults.warnings)


def test_two_clean_builds_are_byte_identical(guide, readme_build):
    """The session's two clean builds: `guide` (the commands of `nox -s docs`, run by the tests)
    and the README's command (through nox, in its own venv), into other folders: same bytes."""
    assert readme_build.result.returncode == 0, readme_build.result.stdout
    for tree in ("html", "doctrees/pdf-input"):
        assert_same_tree(guide / tree, readme_build.build / tree)


def assert_same_tree(left, right):
    comparison = filecmp.dircmp(left, right, ignore=[".buildinfo"])
    assert not comparison.left_only and not comparison.right_only, comparison.report()
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    assert not mismatch and not errors, f"differ in {left}: {mismatch + errors}"
    for sub in comparison.common_dirs:
        assert_same_tree(left / sub, right / sub)


@pytest.mark.parametrize("forbidden", [
    r"datetime\.(date|datetime)\.(now|today)|date\.today\(|time\.time\(",  # clock
    r"urlopen|requests\.|http\.client|socket\.",  # network
])
def test_build_code_reads_neither_clock_nor_network(forbidden):
    sources = [REPO / "docs" / "conf.py", *(REPO / "docs" / "_ext").rglob("*.py")]
    offenders = [str(path) for path in sources if re.search(forbidden, path.read_text())]
    assert offenders == []


@functools.cache
def nox_listing() -> str:
    return subprocess.run([sys.executable, "-m", "nox", "-l", "--no-color"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout


def listed_sessions(listing: str) -> dict[str, tuple[str, str]]:
    """`nox -l`: each session line ("* name -> docstring", "- name" without one), as
    name -> (mark, docstring); * is a session a bare `nox` runs, - one it skips."""
    lines = re.findall(r"^([*-]) (\S+)(?: -> (.*))?$", listing, re.MULTILINE)
    return {name: (mark, doc.strip()) for mark, name, doc in lines}


def nox_sessions() -> dict[str, str]:
    return {name: doc for name, (_, doc) in listed_sessions(nox_listing()).items()}


def test_every_nox_session_has_a_docstring_and_none_runs_by_default():
    sessions = listed_sessions(nox_listing())
    expected = {"docs", "tests", "lint", "preview", "linkcheck", "review-status", "bench"}
    assert expected <= set(sessions)
    assert sorted(name for name, (_, doc) in sessions.items() if not doc) == [], (
        "sessions without a docstring")
    assert sorted(name for name, (mark, _) in sessions.items() if mark == "*") == [], (
        "a bare `nox` must run nothing")


def test_readme_nox_commands_exist_in_the_noxfile():
    sessions = nox_sessions()
    blocks = [name for line in readme_commands() for name in re.findall(r"nox -s (\S+)", line)]
    assert {"docs", "tests"} <= set(blocks)
    mentioned = re.findall(r"nox -s ([\w-]+)", (REPO / "README.md").read_text(encoding="utf-8"))
    assert sorted({name for name in mentioned if name not in sessions}) == []


def test_readme_build_command_writes_the_guide_and_pdfs(readme_build):
    """The README's build command, as a new author runs it, in a copy of the repository."""
    assert readme_build.command[:4] == ["python3", "-m", "nox", "-s"]
    result = readme_build.result
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("index.html", "pdf/ldn-provider-guide.pdf", "pdf/ldn-quick-reference.pdf",
                 "pdf/ldn-patient-handout.pdf"):
        assert (readme_build.build / "html" / name).is_file()


def test_the_readme_build_leaves_the_checkouts_nox_environments_working(readme_build):
    """The copy shares the checkout's nox environments: none of their scripts may point into
    the copy afterwards (`nox -s docs` would then stop with "cannot execute")."""
    assert readme_build.result.returncode == 0
    nox_folder = REPO / ".nox"
    scripts = sorted(nox_folder.glob("*/bin/*")) if nox_folder.is_dir() else []
    into_the_copy = [str(script) for script in scripts if script.is_file()
                     and not script.is_symlink() and script.read_bytes().startswith(b"#!")
                     and not script.read_bytes().split(b"\n", 1)[0].startswith(
                         f"#!{nox_folder}".encode())]
    assert into_the_copy == []


def test_a_missing_interpreter_is_an_error_not_a_skip(tmp_path):
    """Without the session's Python nox must fail, not report "skipped" and exit 0: `nox -s
    docs` run with an interpreter no machine has (offline and at once: nox stops before it
    makes a venv, in a temporary folder). Outside CI, where nox's own default is to skip."""
    env = {name: value for name, value in os.environ.items() if name != "CI"}
    result = subprocess.run([sys.executable, "-m", "nox", "-s", "docs", "--force-python", "3.99",
                             "--no-install", "--no-color", "--envdir", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Session docs-3.99 failed: Python interpreter 3.99 not found" in output, output


def test_ci_runs_exactly_the_readme_test_command():
    test_command = next(c for c in readme_commands() if "nox -s tests" in c)
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    assert test_command in [line.strip() for line in ci_lines]
