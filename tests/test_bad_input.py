"""Bad input stops the build with file, line and a fix, never a Python traceback.

Faults that let the build go on are in one small guide, tests/roots/faults (fixture
``faults``, built once), each asserted by its own message, and the build reports nothing else.
Faults that stop the build (refs.bib syntax, bytes that are not UTF-8) each need a build of
their own; the rules are unit-tested case by case in tests/unit/.
"""

from __future__ import annotations

import re

import pytest
from conftest import (
    FRONT_MATTER,
    GOOD_BIB,
    GOOD_INDEX,
    make_project,
    sphinx_build,
    sphinx_build_command,
)

BROKEN_BIB = GOOD_BIB.replace("A trial", "Caf\xe9 trial") + """
@article{unclosed2020,
  title = {A title {with a brace},
  year = {2020},
}

@article{nocomma2021,
  title = {A title}
  year = {2021},
}

@artcle{typo2022,
  title = {A title},
}

title = {A field outside any entry},
"""


def no_traceback(result) -> None:
    assert "Traceback" not in result.warnings, result.warnings
    assert "Exception occurred" not in result.warnings, result.warnings


@pytest.fixture(scope="module")
def broken_bib(tmp_path_factory):
    """refs.bib with syntax errors and a byte that is not UTF-8, built by a real sphinx-build
    subprocess: what the author sees is the command's output, traceback or not."""
    root = make_project(tmp_path_factory.mktemp("broken-bib"))
    (root / "refs.bib").write_bytes(BROKEN_BIB.encode("latin-1"))
    return sphinx_build_command(root)


def test_refs_bib_syntax_errors_name_the_line_and_the_entry(broken_bib):
    assert broken_bib.failed
    no_traceback(broken_bib)
    for pattern in (r"refs\.bib:10: WARNING: unclosed brace in entry unclosed2020",
                    r"refs\.bib:\d+: WARNING: missing comma .*in entry nocomma2021",
                    r"refs\.bib:20: WARNING: unknown entry type @artcle in entry typo2022",
                    r"refs\.bib:24: WARNING: .*outside any entry"):
        assert re.search(pattern, broken_bib.warnings), (pattern, broken_bib.warnings)
    assert "refs.bib has syntax errors" in broken_bib.warnings


def test_refs_bib_that_is_not_utf8_names_the_line(broken_bib):
    assert re.search(r"refs\.bib:3: WARNING: byte 0xE9 .*is not UTF-8", broken_bib.warnings)


def test_a_page_or_data_file_that_is_not_utf8_names_file_and_line(project):
    root = project(pages={"chapter.md": FRONT_MATTER + "# Page\n\nA fact {cite:p}`smith2020`.\n"},
                   data={"notes.yaml": "a: 1\n"})
    (root / "docs" / "chapter.md").write_bytes(
        (FRONT_MATTER + "# Page\n\nCaf\xe9 {cite:p}`smith2020`.\n").encode("latin-1"))
    (root / "docs" / "data" / "notes.yaml").write_bytes("a: 1\nb: caf\xe9\n".encode("latin-1"))
    result = sphinx_build(root)
    assert result.failed
    no_traceback(result)
    assert re.search(r"data/notes\.yaml:2: WARNING: byte 0xE9 .*is not UTF-8", result.warnings)


def test_a_page_that_is_not_utf8_names_file_and_line(project):
    root = project(pages={"chapter.md": "x"})
    (root / "docs" / "chapter.md").write_bytes(
        (FRONT_MATTER + "# Page\n\nCaf\xe9 {cite:p}`smith2020`.\n").encode("latin-1"))
    (root / "docs" / "index.md").write_text(GOOD_INDEX.replace("references\n",
                                                               "chapter\nreferences\n"))
    result = sphinx_build(root)
    assert result.failed
    no_traceback(result)
    assert re.search(r"chapter\.md:8: WARNING: byte 0xE9 .*is not UTF-8", result.warnings)


def test_a_condition_page_out_of_template_names_the_line_and_the_fix(faults):
    assert re.search(r"conditions/misordered\.md:49: WARNING: \"### Trial 2020: a heading "
                     r"instead of a disclosure\" is a heading; write each study's narrative as "
                     r":::\{narrative\} Trial 2020", faults.warnings), faults.warnings


def test_banned_raw_html_fails_naming_file_and_line(faults):
    assert faults.failed
    for line, construct in ((10, "script"), (12, "iframe"), (14, "object"), (16, "embed"),
                            (18, "form"), (20, "onerror"), (22, "javascript:")):
        assert re.search(rf"raw-html\.md:{line}: WARNING: .*{construct}", faults.warnings), (
            construct, faults.warnings)


# Where each warning of tests/roots/faults comes from, and its type: every fault there is
# reported (the tests above and in test_build, test_citations and test_data_and_dates check
# each message), and nothing else is, so no fault hides another.
FAULT_ROOT_WARNINGS = sorted([
    "refs.bib [bibtex.bibfile_data_error]",  # sphinxcontrib-bibtex on the duplicate key
    *(f"refs.bib:{line} [ldn_guide.bib]" for line in (9, 16, 21, 29, 37, 46, 54)),
    "claims.md:8 [ldn_guide.claims]",
    "dates-bad-last.md:1 [myst.topmatter]",  # MyST rejects 2026-13-01 as YAML ...
    *(f"{page}.md:1 [ldn_guide.review_dates]"  # ... and the guide says which field is wrong
      for page in ("dates-missing", "dates-bad-last", "dates-bad-next", "dates-order")),
    # A condition file's fault is reported once per page that uses the file.
    *(f"data/conditions/faulty.yaml:{line} [ldn_guide.evidence]"  # certainty, risk of bias,
      for line in (45, 32, 51) for _page in ("condition", "misordered")),  # strength; 2 pages
    "conditions/misordered.md:49 [ldn_guide.template]",  # a study as a ### heading
    # An absolute effect that does not follow from its comparator risk and risk ratio.
    "data/conditions/faulty-absolute.yaml:37 [ldn_guide.evidence]",
    # The screening table: a rule without a source, an unknown action (test_screening).
    "data/screening.yaml:27 [ldn_guide.screening]",
    "data/screening.yaml:50 [ldn_guide.screening]",
    *(f"raw-html.md:{line} [ldn_guide.raw_html]" for line in (10, 12, 14, 16, 18, 18, 20, 22)),
    "chapter.md:8 [bibtex.key_not_found]",
    "chapter.md:10 [ref.doc]",
    "index.md [ldn_guide.links]",  # the raw-HTML link to a missing anchor
    # The offline link check also follows the raw HTML's own links (x.png, x.swf twice, /x).
    *(["raw-html.md [ldn_guide.links]"] * 4),
])


def test_the_fault_root_reports_each_fault_and_nothing_else(faults):
    assert faults.returncode == 1  # warnings, not a crash or a stop
    no_traceback(faults)
    found = []
    for line in faults.warnings.splitlines():
        where = re.match(r"(?:(\S+?)(?::(\d+))?: )?WARNING: .* \[(\S+)\]$", line)
        assert where, f"a warning without location or type: {line}"
        path, number, kind = where.groups()
        path = re.sub(r"^.*?/docs/", "", path or "refs.bib")
        path = "refs.bib" if path.endswith("/refs.bib") else path
        found.append(f"{path}{':' + number if number else ''} [{kind}]")
    assert sorted(found) == FAULT_ROOT_WARNINGS


def test_in_process_builds_report_what_the_command_prints(broken_bib, tmp_path):
    """The tests' in-process builds (conftest.sphinx_build) give the exit status and warning
    text of the `sphinx-build` command: for a build the guide stops, and one that warns."""
    again = sphinx_build(broken_bib.outdir.parents[1])
    assert (again.returncode, again.warnings) == (broken_bib.returncode, broken_bib.warnings)
    page = FRONT_MATTER + "# Page\n\nLDN cures {cite:p}`nokey2000`. See {doc}`nowhere`.\n"
    root = make_project(tmp_path, pages={"chapter.md": page})
    in_process = sphinx_build(root)
    command = sphinx_build_command(root, "html", "-E")  # -E: read every page again
    assert in_process.returncode == command.returncode == 1
    assert in_process.warnings == command.warnings
    assert in_process.warnings.count(": WARNING: ") == 4, in_process.warnings  # + not in toctree
