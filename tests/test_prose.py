"""Checks outside the build, as `nox -s lint` runs them: codespell, ruff and banned claims."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, build_env, project_env

# As pre-commit runs it (.pre-commit-config.yaml): the rule module as a command, which imports
# the package from the folder this process imports it from (pyproject.toml's pytest pythonpath).
BANNED_CLAIMS = [sys.executable, "-m", "ldn_guide.rules.claims"]
RULES_ENV = project_env()


def codespell(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(["codespell", *map(str, paths)], cwd=REPO, capture_output=True,
                          text=True, env=build_env())


def test_repository_has_no_misspellings():
    result = codespell(".")  # everything but hidden folders and pyproject.toml's skip list
    assert result.returncode == 0, result.stdout


def test_codespell_reports_a_misspelling_with_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nPatients recieve a handout.\n")  # codespell:ignore
    result = codespell(page)
    assert result.returncode != 0
    assert f"{page}:3: recieve ==> receive" in result.stdout  # codespell:ignore


def ruff(*paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "--output-format", "concise", *map(str, paths)],
                          cwd=REPO, capture_output=True, text=True, env=build_env())


def test_python_passes_ruff():
    result = ruff(".")
    assert result.returncode == 0, result.stdout


def test_ruff_reports_an_unused_import_with_file_and_line(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('"""A module."""\n\nimport os\n')
    result = ruff(module)
    assert result.returncode != 0
    assert f"{module}:3:8: F401" in result.stdout, result.stdout


def test_guide_pages_have_no_banned_claims():
    pages = sorted(str(path) for path in (REPO / "docs").rglob("*.md"))
    result = subprocess.run([*BANNED_CLAIMS, *pages], capture_output=True, text=True,
                            env=RULES_ENV)
    assert result.returncode == 0, result.stdout


def test_banned_claims_command_reports_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nLDN is completely safe.\n")
    result = subprocess.run([*BANNED_CLAIMS, str(page)], capture_output=True, text=True,
                            env=RULES_ENV)
    assert result.returncode == 1
    assert result.stdout.startswith(f'{page}:3: banned claim "completely safe"')
