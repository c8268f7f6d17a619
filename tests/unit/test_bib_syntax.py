"""rules.bib_syntax: each fixture has one fault, reported with its exact line and message."""

from __future__ import annotations

from pathlib import Path

import pytest
from ldn_guide.rules import Problem
from ldn_guide.rules.bib_syntax import check_bib_syntax
from ldn_guide.rules.encoding import check_text_encoding

REFS_BIB = Path(__file__).resolve().parents[2] / "refs.bib"

# (id, .bib bytes, line, message)
FAULTS = [
    ("not-utf8-in-entry",
     b"@misc{a,\n  title = {Caf\xe9},\n}\n",
     2, "byte 0xE9 at column 15 is not UTF-8 in entry a (fix: save refs.bib as UTF-8)"),
    ("not-utf8-outside-entry",
     b"% Caf\xe9\n@misc{a,\n  title = {x},\n}\n",
     1, "byte 0xE9 at column 6 is not UTF-8 (fix: save refs.bib as UTF-8)"),
    ("unclosed-brace-in-value",
     b"@misc{ok,\n  title = {x},\n}\n\n@article{a,\n  title = {Foo {Bar},\n  year = {2020},\n}"
     b"\n\n@misc{b,\n  title = {x},\n}\n",
     5, "unclosed brace in entry a: the value of title (line 6) runs on into the fields after "
        "it (fix: add the missing } to that value)"),
    ("unclosed-brace-at-end-of-entry",
     b"@article{a,\n  title = {Foo},\n  year = {2020},\n\n@misc{b,\n  title = {x},\n}\n",
     1, "unclosed brace in entry a: it never ends with } (fix: add } after its last field)"),
    ("unclosed-brace-at-end-of-file",
     b"@misc{a,\n  title = {Foo,\n  note = {x}\n",
     1, "unclosed brace in entry a: the value of title (line 2) never closes (fix: add the "
        "missing } to that value)"),
    ("unclosed-brace-in-last-value",
     b"@misc{a,\n  note = {x},\n  title = {Foo\n",
     1, "unclosed brace in entry a: the value of title (line 3) never closes (fix: add the "
        "missing } to that value)"),
    ("unclosed-quote",
     b'@misc{a,\n  title = "Foo,\n}\n\n@misc{b,\n  title = {x},\n}\n',
     1, 'unclosed quote in entry a: the value of title (line 2) never ends (fix: add the '
        'closing " to that value)'),
    ("unbalanced-brace-in-quotes",
     b'@misc{a,\n  title = "Foo}",\n}\n',
     2, "unbalanced } in the quoted value of title in entry a (fix: remove it or add the "
        "matching {)"),
    ("missing-comma-between-fields",
     b"@article{a,\n  title = {Foo}\n  year = {2020},\n}\n",
     3, "missing comma before field year in entry a (fix: add a comma after the value of "
        "title)"),
    ("unknown-entry-type",
     b"@artcle{a,\n  title = {Foo},\n}\n",
     1, "unknown entry type @artcle in entry a (fix: did you mean @article? use one of "
        "article, book, booklet, conference, inbook, incollection, inproceedings, manual, "
        "mastersthesis, misc, online, patent, phdthesis, report, techreport, unpublished)"),
    ("field-outside-entry",
     b"@misc{a,\n  title = {x},\n}\n\ntitle = {y}\n",
     5, "field title outside any entry (fix: move it inside an entry's braces; a } before it "
        "may close the entry above too early)"),
    ("extra-closing-brace-in-value",
     b"@misc{a,\n  title = {x}},\n  year = {2020},\n}\n",
     3, "field year outside any entry (fix: move it inside an entry's braces; a } before it "
        "may close the entry above too early)"),
    ("stray-closing-brace",
     b"@misc{a,\n  title = {x},\n}\n}\n",
     4, "closing brace } outside any entry (fix: delete it; the entry above may have one } "
        "too many)"),
    ("stray-text",
     b"@misc{a,\n  title = {x},\n}\nleftover words\n",
     4, "text outside any entry: 'leftover words' (fix: delete it, or start the line with % "
        "to make it a comment)"),
    ("missing-key",
     b"@misc{\n  title = {x},\n}\n",
     1, "missing key in the @misc entry at line 1 (fix: write @misc{key, ...} with a unique "
        "key)"),
    ("missing-key-before-comma",
     b"%\n@misc{, title = {x}}\n",
     2, "missing key in the @misc entry at line 2 (fix: write @misc{key, ...} with a unique "
        "key)"),
    ("missing-comma-after-key",
     b"@misc{a\n  title = {x},\n}\n",
     1, "missing comma after the key in entry a (fix: write @misc{a, ...)"),
    ("field-without-equals",
     b"@misc{a,\n  title = {x},\n  year {2020},\n}\n",
     3, "field year has no '=' in entry a (fix: write year = {...})"),
    ("value-without-field-name",
     b"@misc{a,\n  = {x},\n}\n",
     2, "value without a field name in entry a (fix: write name = {value})"),
    ("field-without-value",
     b"@misc{a,\n  title = ,\n}\n",
     2, "title has no value in entry a (fix: write title = {...})"),
    ("undefined-macro",
     b"@misc{a,\n  journal = pnas,\n}\n",
     2, "undefined macro pnas in the value of journal in entry a (fix: put the text in "
        "braces, journal = {...}, or define it with @string before this entry)"),
    ("unquoted-words",
     b"@misc{a,\n  title = {x},\n  note = 12 monkeys,\n}\n",
     3, "unexpected 'monkeys,' after the value of note in entry a (fix: put the whole value "
        "in braces, or join its parts with #)"),
    ("duplicate-field",
     b"@misc{a,\n  year = {2020},\n  Year = {2021},\n}\n",
     3, "duplicate field Year in entry a (first at line 2) (fix: delete one; pybtex keeps "
        "the first)"),
    ("missing-and-between-authors",
     b"@misc{a,\n  author = {Smith, J. and\n    Doe, Jane, Roe, R.},\n}\n",
     3, "3 commas in the author name 'Doe, Jane, Roe, R.' in entry a (fix: separate names "
        "with ' and ', each as Last, First)"),
    ("comment-inside-entry",
     b"@misc{a,\n  % checked 2026\n  title = {x},\n}\n",
     2, "% comment inside entry a; pybtex has no comments inside entries (fix: move the "
        "comment above the entry)"),
    ("at-sign-in-comment",
     b"% ask me@example.org\n@misc{a,\n  title = {x},\n}\n",
     1, "'@' in a % comment starts an entry for pybtex (fix: remove the @ from the comment, "
        "e.g. write 'at')"),
    ("at-without-type",
     b"@{a,\n  title = {x},\n}\n",
     1, "'@' without an entry type (fix: write @article{key, ...}, or remove the @; outside "
        "entries use % comments)"),
    ("type-without-brace",
     b"@misc a,\n  title = {x},\n}\n",
     1, "@misc is not followed by { in the @misc entry at line 1 (fix: write @misc{key, ...})"),
    ("string-without-equals",
     b'@string{pnas "Proc. Natl. Acad. Sci."}\n',
     1, 'macro pnas has no \'=\' in @string at line 1 (fix: write @string{pnas = {text}})'),
]


@pytest.mark.parametrize(("data", "line", "message"),
                         [case[1:] for case in FAULTS], ids=[case[0] for case in FAULTS])
def test_each_fault_is_reported_once_with_its_line(data: bytes, line: int, message: str):
    assert check_bib_syntax(data) == [Problem(line, message)]


# Valid BibTeX the scanner must accept, as pybtex does.
VALID = [
    ("empty", b""),
    ("comments-only", b"% one\n%two\n  % indented\n"),
    ("braced-nested", b"@article{a,\n  title = {The {LDN} {Trial {Nested}}},\n}\n"),
    ("quoted-with-braces", b'@misc{a, title = "A {"}quoted{"} word", note = "x"}\n'),
    ("number-and-month-macro", b"@misc{a,\n  year = 2020,\n  month = jan,\n}\n"),
    ("concatenation-and-string-macro",
     b'@string{pnas = "Proc. Natl. Acad. Sci."}\n@STRING{Lancet = {The Lancet}}\n'
     b'@article{a,\n  journal = pnas # { USA},\n  note = {x} # "y" # 3 # lancet,\n}\n'),
    ("parentheses", b"@misc(a,\n  title = {x (y)},\n)\n"),
    ("no-trailing-comma-no-fields", b"@misc{a, title = {x}}\n@misc{b}\n"),
    ("double-comma", b"@misc{a,\n  title = {x},,\n}\n"),
    ("preamble-and-comment",
     b'@preamble{"\\newcommand{\\x}{y}"}\n@comment{anything {at all\n@misc{a, title={x}}\n'),
    ("uppercase-type-and-crlf", b"@ARTICLE{a,\r\n  Title = {x},\r\n}\r\n"),
    ("utf8-and-bom", "\ufeff@misc{a,\n  author = {Müller, Jürgen and Ørsted, Åse},\n}\n"
                     .encode()),
    ("names-with-braces-and-jr",
     b"@misc{a,\n  author = {Smith, Jr, J. and {Doe, Jane, and, Roe} AND Anderson, A},\n}\n"),
    ("entry-after-closing-brace-on-same-line", b"@misc{a, title={x}} % done\n"),
]


@pytest.mark.parametrize("data", [case[1] for case in VALID], ids=[case[0] for case in VALID])
def test_valid_bibtex_has_no_problems(data: bytes):
    assert check_bib_syntax(data) == []


@pytest.mark.parametrize("data", [case[1] for case in VALID], ids=[case[0] for case in VALID])
def test_valid_fixtures_parse_with_pybtex(data: bytes):
    # Keeps the scanner honest: what it accepts, pybtex must accept too.
    from pybtex.database import parse_bytes

    parse_bytes(data.removeprefix(b"\xef\xbb\xbf"), "bibtex")


def test_the_real_refs_bib_passes():
    assert check_bib_syntax(REFS_BIB.read_bytes()) == []


def test_several_faults_are_all_reported_in_line_order():
    data = (b"@misc{a\n  title = {x},\n}\n\n@artcle{b,\n  title = {x}\n  year = {2020},\n}\n"
            b"\n@misc{c,\n  title = {ok},\n}\n")
    assert [p.line for p in check_bib_syntax(data)] == [1, 5, 7]


@pytest.mark.parametrize(("data", "expected"), [
    (b"plain ascii\n", None),
    ("caf\u00e9 \u2014 \u4e2d\n".encode(), None),
    (b"first\nsecond caf\xe9\n", Problem(2, "byte 0xE9 at column 11 is not UTF-8 (fix: save "
                                            "the file as UTF-8)")),
    # The column counts characters, not bytes: "é" before the bad byte is one column.
    ("é ".encode() + b"\xff", Problem(1, "byte 0xFF at column 3 is not UTF-8 (fix: save the "
                                         "file as UTF-8)")),
    # A multi-byte sequence cut short is reported at its first byte.
    (b"x\n\n  \xe2\x80 y", Problem(3, "byte 0xE2 at column 3 is not UTF-8 (fix: save the file "
                                      "as UTF-8)")),
], ids=["ascii", "utf8", "latin1", "column-in-characters", "truncated-sequence"])
def test_check_text_encoding(data: bytes, expected: Problem | None):
    assert check_text_encoding(data) == expected
