"""refs.bib as CSL-JSON, the format reference managers (Zotero, Mendeley) import.

No maintained Python library writes CSL-JSON from BibTeX (citeproc-py reads BibTeX but writes
formatted text; pandoc would add a system package), so this maps the few entry types and
fields refs.bib uses. It takes plain field dictionaries (from pybtex's parse) and returns plain
data: deterministic, sorted by key. The LaTeX in names and titles (accents, protecting braces,
dashes) is decoded by pybtex itself, through latexcodec; identifiers and addresses are copied
as written, since `--` or `~` in a URL is part of the address.
"""

from __future__ import annotations

import functools
import re

from pybtex.backends.plaintext import Backend
from pybtex.richtext import Text

# One backend object: ``render_as("text")`` would look the backend up through pybtex's plugin
# registry, a scan of every installed package's entry points, on each call (seconds a build).
PLAIN_TEXT = Backend()

TYPES = {"article": "article-journal", "book": "book", "incollection": "chapter",
         "techreport": "report", "misc": "webpage", "online": "webpage", "patent": "patent"}
FIELDS = {"title": "title", "journal": "container-title", "volume": "volume",
          "number": "issue", "pages": "page", "doi": "DOI", "pmid": "PMID", "pmcid": "PMCID",
          "url": "URL", "isbn": "ISBN", "institution": "publisher", "publisher": "publisher",
          "howpublished": "container-title", "note": "note"}
# Copied as they are: BibTeX's LaTeX rules do not apply to identifiers and addresses.
VERBATIM = {"doi", "pmid", "pmcid", "url", "isbn"}


# What pybtex's LaTeX decoding changes besides whitespace: commands, braces, ~ (a space), % and
# $, and the ligatures for dashes and quotes (-- --- '' `` ,, ?` !`). A field without any of
# them (most names and titles) is its own text: latexcodec takes a millisecond a field.
LATEX_MARKUP = re.compile(r"[\\{}~%$`]|--|''|,,")


@functools.cache  # the bib checks and refs.json decode the same names and titles many times
def plain(text: str) -> str:
    """A BibTeX field as text: accents and other LaTeX commands decoded, braces dropped,
    `--` and `---` as en and em dashes, whitespace squashed (pybtex's own decoding)."""
    if LATEX_MARKUP.search(text) is None:
        return " ".join(text.split())
    return decoded_latex(text)


def decoded_latex(text: str) -> str:
    """:func:`plain` without its shortcut: pybtex's decoding, always."""
    return " ".join(Text.from_latex(text).render(PLAIN_TEXT).split())


def person(name) -> dict:
    """A pybtex Person (or a {braced} corporate name) as CSL."""
    last = plain(" ".join(name.prelast_names + name.last_names))
    given = plain(" ".join(name.first_names + name.middle_names))
    if not given:
        return {"literal": last}
    return {"family": last, "given": given}


def to_csl(key: str, entry) -> dict:
    item: dict = {"id": key, "type": TYPES.get(entry.type.lower(), "document")}
    for field, value in entry.fields.items():
        name = FIELDS.get(field.lower())
        if name and name not in item:
            text = str(value)
            item[name] = text if field.lower() in VERBATIM else plain(text)
    if "year" in entry.fields:
        item["issued"] = {"date-parts": [[int(str(entry.fields["year"])[:4])]]}
    if "urldate" in entry.fields:
        item["accessed"] = {"date-parts": [[int(part) for part in
                                            str(entry.fields["urldate"]).split("-")]]}
    for role in ("author", "editor"):
        if role in entry.persons:
            item[role] = [person(p) for p in entry.persons[role]]
    return item


def bibliography(entries: dict) -> list[dict]:
    """key -> pybtex entry, as a CSL-JSON list sorted by key."""
    return [to_csl(key, entries[key]) for key in sorted(entries)]
