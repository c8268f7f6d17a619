"""Time the guide's build against bare Sphinx, and the test suite against the build; print
sizes (`nox -s bench`).

Targets are ratios measured in one run (machines are shared and noisy):
A/B <= 2.5; our PDF step <= 1.0x Sphinx's LaTeX route; edit-one-chapter rebuild <= 1.5 s;
largest HTML page <= 100 KB; provider guide PDF <= 1.5 MB; quick reference <= 300 KB;
the test suite without the browser tests <= 6x one `nox -R -s docs` (venv reused, clean output
folder), the whole suite <= 12x. The builds run in a copy of the working tree in a temporary
folder (the edit-one-chapter measure edits a page), so the checkout is never written to.

    python benchmarks/bench.py [--repeat N] [--suite also|skip|only] [--json build/bench.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The page the edit-one-chapter measure edits, in the copy of the working tree.
CHAPTER = Path("docs") / "conditions" / "depression.md"
# texlive-fonts-recommended: hyperref's link font (ZapfDingbats); without it XeLaTeX stops.
LATEX_HELP = ("apt-get install -y texlive-latex-recommended texlive-fonts-recommended "
              "texlive-latex-extra texlive-xetex latexmk fonts-freefont-otf")
# The test-suite targets: suite wall time / one `nox -R -s docs`, measured in the same run.
SUITE_TARGETS = {"tests_no_browser/docs": 6.0, "tests_all/docs": 12.0}
# XeLaTeX: pdfLaTeX stops at the guide's Unicode (≤, ⊕, µ); xindy is not needed for timing.
LATEX_ROUTE = ["-D", "latex_engine=xelatex", "-D", "latex_use_xindy=0"]


def load_noxfile():
    """The noxfile, for the same commands as `nox -s docs` (loaded from its file: this script
    runs as `python benchmarks/bench.py`, with benchmarks/ on its path, not the repository)."""
    spec = importlib.util.spec_from_file_location("noxfile", ROOT / "noxfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


noxfile = load_noxfile()


def working_tree_copy(target: Path) -> Path:
    """The working tree as it is (uncommitted edits included, as the tests' repository_copy in
    tests/conftest.py copies it), without build output, virtual environments or git."""
    shutil.copytree(ROOT, target, symlinks=True, ignore=shutil.ignore_patterns(
        "build", ".nox", ".git", "__pycache__", ".pytest_cache", ".ruff_cache"))
    return target


def run(commands: list[list[str]], cwd: Path) -> float:
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def fresh(work: Path, name: str) -> Path:
    shutil.rmtree(work / name, ignore_errors=True)
    return work / name


def measure(work: Path, repeat: int) -> dict[str, list[float]]:
    has_latex = shutil.which("latexmk") is not None and shutil.which("xelatex") is not None
    source = working_tree_copy(work / "repo")
    times: dict[str, list[float]] = {key: [] for key in ("A_full_docs", "B_bare_html", "pdf_step",
                                                         "C_latexpdf", "no_change", "edit_one")}
    for _ in range(repeat):  # alternate A, B, ... so drift hits all alike
        build = fresh(work, "full")
        times["A_full_docs"].append(run(noxfile.guide_build_commands(build), source))
        bare = fresh(work, "bare")
        times["B_bare_html"].append(run([["sphinx-build", "-q", "-b", "html", "docs", str(bare)]],
                                        source))
        # From the sources to the three PDFs and nothing else: the dummy builder reads the
        # sources and writes no pages, so this is our PDF route alone, like C is LaTeX's.
        pdf_only = fresh(work, "pdf-only")
        times["pdf_step"].append(run([["sphinx-build", "-q", "-b", "dummy", "-D", "pdf_guides=1",
                                       "docs", str(pdf_only)]], source))
        if has_latex:
            latex = fresh(work, "latex")
            times["C_latexpdf"].append(run([["sphinx-build", "-M", "latexpdf", "docs",
                                             str(latex), "-q", *LATEX_ROUTE]], source))
        # As `nox -s preview` rebuilds: HTML only, on the environment A left.
        preview = ["sphinx-build", "-q", "-b", "html", "-n", "-d", str(build / "doctrees"),
                   "docs", str(build / "html")]
        times["no_change"].append(run([preview], source))
        chapter = source / CHAPTER
        original = chapter.read_text(encoding="utf-8")
        chapter.write_text(original + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        times["edit_one"].append(run([preview], source))
        chapter.write_text(original, encoding="utf-8")  # the next round starts from the sources
    return {key: value for key, value in times.items() if value}


def timed(command: list[str]) -> tuple[float, int, str]:
    """Wall time, exit status and the last lines of output of one command run in the checkout."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-3:])
    return time.perf_counter() - start, result.returncode, tail


def measure_suite() -> dict[str, dict]:
    """One `nox -R -s docs` (it empties build/ first; the venv is reused), then the test suite
    without and with the browser tests, as `nox -R -s tests` runs them."""
    nox = [sys.executable, "-m", "nox", "-R"]
    commands = {"docs": [*nox, "-s", "docs"],
                "tests_no_browser": [*nox, "-s", "tests", "--", "-m", "not browser"],
                "tests_all": [*nox, "-s", "tests"]}
    suite = {}
    for key, command in commands.items():
        seconds, returncode, tail = timed(command)
        suite[key] = {"seconds": seconds, "returncode": returncode, "command": " ".join(
            ["nox", *command[3:]])}
        if returncode:
            print(f"warning: `{suite[key]['command']}` exited with {returncode}:\n{tail}")
    return suite


def suite_ratios(suite: dict[str, dict]) -> dict[str, float]:
    docs = suite["docs"]["seconds"]
    return {f"{key}/docs": suite[key]["seconds"] / docs for key in ("tests_no_browser",
                                                                  "tests_all")}


def sizes(build: Path) -> dict[str, int]:
    pages = [p for p in (build / "html").rglob("*.html") if "_static" not in p.parts]
    largest = max(pages, key=lambda p: p.stat().st_size)
    site = [p for p in (build / "html").rglob("*") if p.is_file()]
    result = {f"largest_html_page ({largest.relative_to(build / 'html')})": largest.stat().st_size,
              "total_site": sum(p.stat().st_size for p in site)}
    for pdf in sorted((build / "html" / "pdf").glob("*.pdf")):
        result[pdf.name] = pdf.stat().st_size
    return result


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--suite", choices=("also", "skip", "only"), default="also",
                        help="also time the test suite against one `nox -R -s docs` (default), "
                             "skip it, or time only that")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    report = {"machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, "
                         f"Python {platform.python_version()}"}
    ratios: dict[str, float] = {}
    if args.suite != "only":
        with tempfile.TemporaryDirectory() as tmp:
            times = measure(Path(tmp), args.repeat)
            size = sizes(Path(tmp) / "full")
        stats = {key: summary(values) for key, values in times.items()}
        ratios["A/B"] = stats["A_full_docs"]["median"] / stats["B_bare_html"]["median"]
        if "C_latexpdf" in stats:
            ratios["ours/C"] = stats["pdf_step"]["median"] / stats["C_latexpdf"]["median"]
        report.update({"repeat": args.repeat, "seconds": stats, "bytes": size})
        print(f"{'measure':<40}{'median s':>10}{'min':>8}{'max':>8}")
        for key, value in stats.items():
            print(f"{key:<40}{value['median']:>10.2f}{value['min']:>8.2f}{value['max']:>8.2f}")
        if "C_latexpdf" not in stats:
            print(f"C_latexpdf: skipped, TeX is not installed ({LATEX_HELP})")
    if args.suite != "skip":
        # Last: `nox -s docs` empties build/, and the suite must find the checkout unchanged.
        suite = measure_suite()
        ratios.update(suite_ratios(suite))
        report["suite"] = suite
        report["suite_targets"] = SUITE_TARGETS
        for value in suite.values():
            print(f"{value['command']:<40}{value['seconds']:>10.2f} s")
    report["ratios"] = ratios
    for key, value in ratios.items():
        target = f"  (target <= {SUITE_TARGETS[key]:g})" if key in SUITE_TARGETS else ""
        print(f"{key:<40}{value:>10.2f}{target}")
    for key, value in report.get("bytes", {}).items():
        print(f"{key:<40}{value / 1024:>10.1f} KB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
