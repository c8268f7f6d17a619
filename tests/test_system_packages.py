"""The declared system packages are complete: a new machine that installs them can run
everything (pyproject.toml, [tool.ldn-guide.system-packages]; tools/system_packages.py).

Each test runs the real program, reads the shared libraries it has mapped (/proc/PID/maps),
finds the Debian package of each (dpkg) and checks that apt would bring it in: it is declared,
or a dependency of a declared package, or needed by the Python interpreter itself.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import time

import pytest
import system_packages  # tools/, on the tests' path (pyproject.toml's pytest pythonpath)
from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not Debian/Ubuntu")

LIBRARIES_OF_THIS_PROCESS = ("import os, sys, {imports}\n{work}\n"
                             "print('\\n'.join(l.split()[-1] for l in open('/proc/self/maps')"
                             " if '.so' in l.split()[-1]))")
# What the interpreter loads for itself (ssl, ctypes, sqlite3, ...): the machine's Python
# brings these, not the project's list.
BARE = LIBRARIES_OF_THIS_PROCESS.format(imports="ssl, ctypes, sqlite3, lzma, bz2, zlib, uuid",
                                        work="")
WEASYPRINT = LIBRARIES_OF_THIS_PROCESS.format(
    imports="weasyprint",
    work="weasyprint.HTML(string='<p>x <b>y</b></p>').write_pdf(os.devnull, "
         "pdf_variant='pdf/ua-1')")


def packages_loaded_by(script: str) -> dict[str, str]:
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True).stdout
    return owned(output.split())


def owned(libraries: list[str]) -> dict[str, str]:
    """library -> Debian package, for the libraries a package installed (not pip's wheels)."""
    return {library: package for library, package in
            sorted(system_packages.packages_of(sorted(set(libraries))).items()) if package}


# Each test walks the dependencies of nearly the same packages: read dpkg's table once.
INSTALLED = functools.cache(system_packages.installed_depends)


def depends_of(package: str) -> list[str]:
    return system_packages.depends_of(package, INSTALLED())


@pytest.fixture(scope="module")
def interpreter_packages() -> set[str]:
    return set(packages_loaded_by(BARE).values())


@pytest.fixture(scope="module")
def weasyprint_libraries() -> dict[str, str]:
    return packages_loaded_by(WEASYPRINT)


def not_brought_in(loaded: dict[str, str], declared: list[str], interpreter: set[str]):
    provided = system_packages.closure([*declared, *interpreter], depends=depends_of)
    return system_packages.undeclared(loaded, provided)


def test_every_library_weasyprint_loads_is_declared(weasyprint_libraries, interpreter_packages):
    missing = not_brought_in(weasyprint_libraries, system_packages.declared("docs"),
                             interpreter_packages)
    assert missing == {}, f"declare in pyproject.toml: {sorted(set(missing.values()))}"


def test_a_package_taken_out_of_the_list_is_named(weasyprint_libraries, interpreter_packages):
    """The check can fail: without libharfbuzz-subset0 in the list, it names that package."""
    declared = [p for p in system_packages.declared("docs") if p != "libharfbuzz-subset0"]
    missing = not_brought_in(weasyprint_libraries, declared, interpreter_packages)
    assert set(missing.values()) == {"libharfbuzz-subset0"}


# The programs the tests run (beside Chromium, checked above through what it loads).
TEST_PROGRAMS = ("pdftotext",)


def test_every_program_the_tests_run_is_declared(interpreter_packages):
    found = {program: shutil.which(program) for program in TEST_PROGRAMS}
    assert all(found.values()), f"not installed: {[p for p, path in found.items() if not path]}"
    missing = not_brought_in(owned(list(found.values())), system_packages.declared("tests"),
                             interpreter_packages)
    assert missing == {}, f"declare in pyproject.toml: {sorted(set(missing.values()))}"
    # ... and the check can fail: without poppler-utils in the list, it names that package.
    declared = [p for p in system_packages.declared("tests") if p != "poppler-utils"]
    assert set(not_brought_in(owned(list(found.values())), declared,
                              interpreter_packages).values()) == {"poppler-utils"}


def test_the_tests_list_includes_the_build_list():
    assert set(system_packages.declared("docs")) <= set(system_packages.declared("tests"))


@pytest.mark.browser
def test_every_library_chromium_loads_is_declared(interpreter_packages):
    from browser import CHROMIUM, CHROMIUM_ARGS

    browser = subprocess.Popen([CHROMIUM, "--headless", *CHROMIUM_ARGS,
                                "--remote-debugging-port=0", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # the renderer and GPU helpers start within a second or two
        pids = [browser.pid] + [int(pid) for pid in subprocess.run(
            ["pgrep", "-P", str(browser.pid)], capture_output=True, text=True).stdout.split()]
        libraries = [lib for pid in pids for lib in system_packages.loaded_libraries(pid)]
    finally:
        browser.kill()
        browser.wait()
    missing = not_brought_in(owned(libraries), system_packages.declared("tests"),
                             interpreter_packages)
    assert missing == {}, f"declare in pyproject.toml: {sorted(set(missing.values()))}"


def test_read_the_docs_installs_the_build_list():
    """Read the Docs cannot read pyproject.toml: its apt_packages repeat the docs list."""
    import yaml

    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["build"]["apt_packages"] == system_packages.declared("docs")
