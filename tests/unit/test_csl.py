"""rules.csl: refs.bib as CSL-JSON, with BibTeX's LaTeX decoded (pybtex, through latexcodec).

The build publishes this list as refs.json (tests/test_published_data.py checks the file);
here the conversion is checked on its own, on a table of LaTeX and on every entry of the
guide's real refs.bib, whose names are decoded a second way (latexcodec alone) to compare.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.database
import pytest
from ldn_guide.rules import csl

REFS_BIB = Path(__file__).resolve().parents[2] / "refs.bib"
# BibTeX field -> CSL variable, for the fields that are addresses or identifiers, not text.
IDENTIFIERS = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID", "url": "URL", "isbn": "ISBN"}

# (BibTeX field text, the text a reference manager should show)
LATEX = [
    (r"Sm{\aa}brekke", "Småbrekke"),
    (r"Bye-M{\o}ller", "Bye-Møller"),
    (r"M{\"u}ller", "Müller"),
    (r"M\"{u}ller", "Müller"),
    (r"Hern{\'a}ndez-Negr{\'i}n", "Hernández-Negrín"),
    (r"Borr{\`a}s", "Borràs"),
    (r"T{\^a}nia", "Tânia"),
    (r"bruksomr{\aa}de", "bruksområde"),
    (r"{GRADE} guidelines", "GRADE guidelines"),  # braces that only protect capitals
    (r"{{LDN Research Trust}}", "LDN Research Trust"),
    (r"Receptor--{Gs} Coupling", "Receptor–Gs Coupling"),  # en dash
    (r"pages 140--143", "pages 140–143"),
    (r"({LDN})---Review", "(LDN)—Review"),  # em dash
    (r"Pain \& Palliative Care", "Pain & Palliative Care"),
    ("A title\n    on  two lines", "A title on two lines"),
]


@pytest.mark.parametrize(("latex", "text"), LATEX, ids=[case[1] for case in LATEX])
def test_latex_is_decoded(latex: str, text: str):
    assert csl.plain(latex) == text


def test_text_without_latex_is_taken_as_it_is_and_the_same_as_decoding_it_gives():
    """plain()'s shortcut (LATEX_MARKUP) on every printable character and every field of
    refs.bib: a text it takes as it is must be what pybtex's decoding gives."""
    import string

    samples = [f"a{char}b" for char in string.printable if char not in "{}"]
    samples += ["a--b", "a''b", "a``b", "a?`b", "a!`b", "a,,b", "a - b", "a\u00a0b"]
    samples += [str(value) for item in pybtex.database.parse_file(REFS_BIB, "bibtex")
                .entries.values() for value in item.fields.values()]
    samples += [str(person) for item in pybtex.database.parse_file(REFS_BIB, "bibtex")
                .entries.values() for people in item.persons.values() for person in people]
    taken = [text for text in samples if csl.LATEX_MARKUP.search(text) is None]
    assert [text for text in taken if csl.plain(text) != csl.decoded_latex(text)] == []
    assert len(taken) > 300  # most of refs.bib needs no decoding
    assert all(csl.LATEX_MARKUP.search(text) for text in ("a--b", r"Sm{\aa}b", "a~b", "50%"))


def entry(text: str):
    [parsed] = pybtex.database.parse_string(text, "bibtex").entries.values()
    return parsed


def test_an_entry_keeps_its_accented_names_and_its_identifiers_as_written():
    item = csl.to_csl("raknes2017", entry(r"""@article{raknes2017,
  author = {Raknes, Guttorm and Sm{\aa}brekke, Lars and {LDN Research Trust}},
  title = {Low Dose Naltrexone ({LDN}) in Norway},
  journal = {Pain \& Care},
  pages = {136--142},
  year = {2017},
  doi = {10.1000/a--b},
  url = {https://example.org/annex-i---agreed-csp},
}"""))
    assert item == {
        "id": "raknes2017", "type": "article-journal",
        "author": [{"family": "Raknes", "given": "Guttorm"},
                   {"family": "Småbrekke", "given": "Lars"},
                   {"literal": "LDN Research Trust"}],
        "title": "Low Dose Naltrexone (LDN) in Norway", "container-title": "Pain & Care",
        "page": "136–142", "issued": {"date-parts": [[2017]]},
        "DOI": "10.1000/a--b", "URL": "https://example.org/annex-i---agreed-csp",
    }


# -- Every entry of the guide's refs.bib ---------------------------------------------------

def split_at_top_level(text: str, separator: str) -> list[str]:
    """TEXT split at SEPARATOR where it is outside every brace ("{Food and Drug}" stays)."""
    parts, depth, start, at = [], 0, 0, 0
    while at < len(text):
        if text[at] == "{":
            depth += 1
        elif text[at] == "}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, at):
            parts.append(text[start:at])
            start = at = at + len(separator)
            continue
        at += 1
    return [*parts, text[start:]]


def decoded(latex: str) -> str:
    """latexcodec alone, without pybtex: the record's spelling as text."""
    return " ".join(codecs.decode(latex, "ulatex").replace("{", "").replace("}", "").split())


def names_as_recorded(role: str, text: str) -> list[dict]:
    """The CSL names refs.bib's `author = {...}` line spells: "Family, Given" or a {braced}
    corporate name, each decoded on its own."""
    names = []
    for name in split_at_top_level(" ".join(text.split()), " and "):
        parts = [part.strip() for part in split_at_top_level(name, ",")]
        if len(parts) == 1:  # {A corporate name}, or "others"
            names.append({"literal": decoded(name)})
        else:
            assert len(parts) == 2, f"{role} {name!r}: expected 'Family, Given'"
            names.append({"family": decoded(parts[0]), "given": decoded(parts[1])})
    return names


def recorded_fields() -> dict[str, dict[str, str]]:
    """key -> {field: its text exactly as written} for the single-line fields of refs.bib."""
    fields: dict[str, dict[str, str]] = {}
    key = None
    for line in REFS_BIB.read_text(encoding="utf-8").splitlines():
        if start := re.match(r"@\w+\{([^,\s]+),", line):
            key = start.group(1)
            fields[key] = {}
        elif field := re.match(r"\s*(\w+)\s*=\s*\{(.*)\},?\s*$", line):
            fields[key][field.group(1).lower()] = field.group(2)
    return fields


@pytest.fixture(scope="module")
def published() -> dict[str, dict]:
    """refs.bib as the build publishes it (sphinxcontrib-bibtex parses it with pybtex)."""
    entries = pybtex.database.parse_file(REFS_BIB, "bibtex").entries
    return {item["id"]: item for item in csl.bibliography(entries)}


def test_every_entry_of_refs_bib_is_published(published):
    assert sorted(published) == sorted(recorded_fields())
    assert len(published) > 40


def text_values(item: dict):
    """Every text of a CSL item a reader sees: names, titles and the other decoded fields."""
    for field, value in item.items():
        if field in ("author", "editor"):
            for name in value:
                yield from ((f"{field} {part}", text) for part, text in name.items())
        elif isinstance(value, str) and field not in (*IDENTIFIERS.values(), "id"):
            yield field, value


def test_no_latex_is_left_in_any_name_or_title(published):
    left = [(key, field, text) for key, item in published.items()
            for field, text in text_values(item) if re.search(r"[\\{}]", text)]
    assert left == []


def test_every_name_is_spelt_as_refs_bib_records_it(published):
    recorded = recorded_fields()
    compared = 0
    for key, item in published.items():
        for role in ("author", "editor"):
            expected = (names_as_recorded(role, recorded[key][role])
                        if role in recorded[key] else None)
            assert item.get(role) == expected, (key, role)
            compared += len(expected or ())
    assert compared > 200  # every person of the guide's references, not a handful


def test_the_accented_names_of_refs_bib_keep_their_letters(published):
    families = {name.get("family") for item in published.values()
                for name in item.get("author", ())}
    assert {"Småbrekke", "Bye-Møller", "Wöller", "Schünemann", "Hernández-Negrín"} <= families


def test_identifiers_and_addresses_are_published_as_written(published):
    recorded = recorded_fields()
    compared = 0
    for key, item in published.items():
        for field, variable in IDENTIFIERS.items():
            if field in recorded[key]:
                assert item[variable] == recorded[key][field], (key, field)
                compared += 1
    assert compared > 40
