"""Bad input stops the build with file, line and a fix, never a Python traceback.

Each build holds several faults, each asserted by its own message (the rules are unit-tested
case by case in tests/unit/); these prove the build reports them as an author sees them.
"""

from __future__ import annotations

import re

from conftest import FRONT_MATTER, GOOD_BIB, GOOD_INDEX, sphinx_build

BROKEN_BIB = GOOD_BIB + """
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


def test_refs_bib_syntax_errors_name_the_line_and_the_entry(project):
    result = sphinx_build(project(bib=BROKEN_BIB))
    assert result.failed
    no_traceback(result)
    for pattern in (r"refs\.bib:10: WARNING: unclosed brace in entry unclosed2020",
                    r"refs\.bib:\d+: WARNING: missing comma .*in entry nocomma2021",
                    r"refs\.bib:20: WARNING: unknown entry type @artcle in entry typo2022",
                    r"refs\.bib:24: WARNING: .*outside any entry"):
        assert re.search(pattern, result.warnings), (pattern, result.warnings)
    assert "refs.bib has syntax errors" in result.warnings


def test_refs_bib_that_is_not_utf8_names_the_line(project):
    root = project()
    (root / "refs.bib").write_bytes(GOOD_BIB.replace("A trial", "Caf\xe9 trial")
                                    .encode("latin-1"))
    result = sphinx_build(root)
    assert result.failed
    no_traceback(result)
    assert re.search(r"refs\.bib:3: WARNING: byte 0xE9 .*is not UTF-8", result.warnings)


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


RAW_HTML_PAGE = FRONT_MATTER + """# Page

A fact {cite:p}`smith2020`.

<script>alert(1)</script>

<iframe src="https://example.org/"></iframe>

<object data="x.swf"></object>

<embed src="x.swf">

<form action="/x"><input name="q"></form>

<img src="x.png" alt="x" onerror="alert(1)">

[a link](javascript:alert(1))
"""


def test_banned_raw_html_fails_naming_file_and_line(project):
    index = GOOD_INDEX.replace("references\n", "chapter\nreferences\n")
    result = sphinx_build(project(pages={"index.md": index, "chapter.md": RAW_HTML_PAGE}))
    assert result.failed
    no_traceback(result)
    for line, construct in ((10, "script"), (12, "iframe"), (14, "object"), (16, "embed"),
                            (18, "form"), (20, "onerror"), (22, "javascript:")):
        assert re.search(rf"chapter\.md:{line}: WARNING: .*{construct}", result.warnings), (
            construct, result.warnings)
