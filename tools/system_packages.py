"""The Debian/Ubuntu packages the build and the tests need, installed when missing.

The list is declared once, in pyproject.toml (``[tool.ldn-guide.system-packages]``), per nox
session. ``nox -s docs`` and ``nox -s tests`` call :func:`ensure` first: as root on
Debian/Ubuntu it runs ``apt-get install`` for the missing packages only; otherwise it stops
with one message naming them and the command to run. ``.ci/run`` uses the same list (through
the same sessions). tests/test_system_packages.py proves the list complete: every shared
library WeasyPrint and Chromium load belongs to a declared package or to one of its
dependencies.

Standard library only: nox imports this before any virtual environment exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def declared(group: str, pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The packages declared for one nox session ("docs" or "tests")."""
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["ldn-guide"]
    return list(table["system-packages"][group])


def is_installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", package],
                            capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.strip() == "installed"


def missing(packages: list[str]) -> list[str]:
    return [package for package in packages if not is_installed(package)]


def install_command(packages: list[str]) -> str:
    return ("apt-get update && apt-get install -y --no-install-recommends "
            + " ".join(packages))


def ensure(group: str, log=print) -> None:
    """Install what is missing of the group's packages, or stop saying how to."""
    if shutil.which("dpkg-query") is None:
        log(f"Not a Debian/Ubuntu system: install the equivalents of {', '.join(declared(group))}"
            " with your package manager (pyproject.toml, [tool.ldn-guide.system-packages]).")
        return
    needed = missing(declared(group))
    if not needed:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit(f"Missing system packages: {' '.join(needed)}.\n"
                         f"Install them (as root), then run the command again:\n"
                         f"  sudo sh -c '{install_command(needed)}'")
    log(f"Installing the missing system packages: {' '.join(needed)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *needed],
                   check=True, env=env, stdout=subprocess.DEVNULL)


# -- Completeness (used by tests/test_system_packages.py) --------------------------------------

def packages_of(paths: list[str]) -> dict[str, str | None]:
    """path -> the installed Debian package that ships it (or None), in one dpkg-query."""
    candidates = {path: list(dict.fromkeys([path, os.path.realpath(path)])) for path in paths}
    every = sorted({candidate for names in candidates.values() for candidate in names})
    result = subprocess.run(["dpkg-query", "-S", *every], capture_output=True, text=True)
    owner = {}
    for line in result.stdout.splitlines():  # "libfoo1:amd64, libfoo-extra: /usr/lib/libfoo.so"
        packages, _, path = line.partition(": ")
        if path and not line.startswith("diversion "):
            owner[path.strip()] = packages.split(",")[0].split(":")[0].strip()
    return {path: next((owner[name] for name in names if name in owner), None)
            for path, names in candidates.items()}


def installed_depends() -> dict[str, list[list[str]]]:
    """Every installed package's Depends and Pre-Depends, as lists of alternatives, read in
    one dpkg-query (a query per package made the test of Chromium's libraries take 20 s)."""
    result = subprocess.run(["dpkg-query", "-W",
                             "-f=${Package}\t${db:Status-Status}\t${Depends}, ${Pre-Depends}\n"],
                            capture_output=True, text=True)
    table: dict[str, list[list[str]]] = {}
    for line in result.stdout.splitlines():
        name, status, depends = (line.split("\t") + ["", ""])[:3]
        if status != "installed":
            continue
        clauses = table.setdefault(name, [])
        for clause in depends.split(","):
            alternatives = [a.strip().split(" ")[0].split(":")[0] for a in clause.split("|")]
            if alternatives := [a for a in alternatives if a]:
                clauses.append(alternatives)
    return table


def depends_of(package: str, installed: dict[str, list[list[str]]] | None = None) -> list[str]:
    """The installed package's Depends and Pre-Depends (first alternative that is installed)."""
    installed = installed_depends() if installed is None else installed
    return [next(a for a in alternatives if a in installed)
            for alternatives in installed.get(package, [])
            if any(a in installed for a in alternatives)]


def closure(packages: list[str], depends=depends_of) -> set[str]:
    """The packages and, recursively, everything they depend on."""
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo.extend(depends(package))
    return seen


def undeclared(loaded: dict[str, str], provided: set[str]) -> dict[str, str]:
    """library -> package, for each loaded library whose package apt would not bring in."""
    return {library: package for library, package in sorted(loaded.items())
            if package not in provided}


def loaded_libraries(pid: int) -> list[str]:
    """The shared libraries mapped into a running process."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    paths = {line.split()[-1] for line in maps.splitlines() if ".so" in line.split()[-1]}
    return sorted(path for path in paths if path.startswith("/"))


if __name__ == "__main__":  # python3 tools/system_packages.py docs|tests
    ensure(sys.argv[1] if len(sys.argv) > 1 else "tests")
