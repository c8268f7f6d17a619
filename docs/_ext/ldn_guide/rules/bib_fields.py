"""The fields refs.bib must have, and the flags it must carry.

Runs on the entries sphinxcontrib-bibtex has already parsed (refs.bib is parsed once per
build); a scan of the raw text adds what that parse loses: each entry's line, and every entry
under a duplicate key (pybtex keeps only one). Syntax comes first, in ``bib_syntax``.
"""

from __future__ import annotations

import re

from . import Problem

ENTRY_START = re.compile(r"^[ \t]*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)
FORMATS = {
    "doi": (re.compile(r"^10\.\d{4,9}/\S+$"), "a DOI like 10.1000/xyz, without https://doi.org/"),
    "pmid": (re.compile(r"^\d{1,8}$"), "digits only, e.g. 19453963"),
    "pmcid": (re.compile(r"^PMC\d+$"), "PMC followed by digits, e.g. PMC2891387"),
    "urldate": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "an ISO date, YYYY-MM-DD"),
}
ARTICLE_FIELDS = ("author", "title", "journal", "year")
FLAGS = {  # field that flags the entry: words that mean the entry needs it
    "retraction": re.compile(r"retract", re.IGNORECASE),
    "correction": re.compile(r"corrigend|erratum|correction", re.IGNORECASE),
}
# Every entry says which of its facts were checked, where and when (clinical writing rule 4).
REQUIRED_EVERYWHERE = ("verified",)
# A `verified` field says what was checked and where: a public address, or a file of this
# repository (docs/data/excerpts/<key>.yaml). The editors' notes outside it are no source a
# reader of the repository can open.
OUTSIDE_THE_REPOSITORY = re.compile(r"evidence(?:-update)?\.md|\.\./|shared/|\bnotes/",
                                    re.IGNORECASE)


def scan_entries(text: str, parsed: dict) -> list[dict]:
    """Every entry of the raw .bib text, duplicates included, with its line number and the
    fields pybtex read for its key (``parsed``: key -> pybtex entry)."""
    entries = []
    for match in ENTRY_START.finditer(text):
        if match.group(1).lower() in ("comment", "preamble", "string"):
            continue
        key = match.group(2)
        entries.append({
            "type": match.group(1).lower(),
            "key": key,
            "line": text.count("\n", 0, match.start()) + 1,
            "fields": fields_of(parsed[key]) if key in parsed else {},
        })
    return entries


def fields_of(entry) -> dict[str, str]:
    """Field values of one pybtex entry (names lower-cased), authors and editors included."""
    fields = {name.lower(): str(value) for name, value in entry.fields.items()}
    if entry.persons:
        fields.update({role.lower(): " and ".join(map(str, people))
                       for role, people in entry.persons.items()})
    return fields


def check_entries(entries: list[dict]) -> list[Problem]:
    """Every fault in the scanned entries."""
    found = []
    first_line: dict[str, int] = {}
    for entry in entries:
        key, line, fields = entry["key"], entry["line"], entry["fields"]
        if key in first_line:
            found.append(Problem(line, f'duplicate key "{key}" (first defined at line '
                                       f"{first_line[key]}); pybtex would drop every entry after "
                                       "it. Rename one entry or merge the two."))
            continue
        first_line[key] = line
        if entry["type"] == "article":
            missing = [name for name in ARTICLE_FIELDS if not fields.get(name)]
            if not (fields.get("doi") or fields.get("pmid")):
                missing.append("doi or pmid")
        else:
            missing = [name for name in ("title", "url", "urldate") if not fields.get(name)]
        missing += [name for name in REQUIRED_EVERYWHERE if not fields.get(name)]
        if missing:
            found.append(Problem(line, f'entry "{key}" (@{entry["type"]}) lacks '
                                       f'{", ".join(missing)}. Add the field(s), checked against '
                                       "the publisher, PubMed or the web page."))
        for name, (pattern, expected) in FORMATS.items():
            if name in fields and not pattern.match(fields[name]):
                found.append(Problem(line, f'entry "{key}": {name} "{fields[name]}" is '
                                           f"malformed; write {expected}."))
        outside = OUTSIDE_THE_REPOSITORY.search(fields.get("verified", ""))
        if outside:
            found.append(Problem(line, f'entry "{key}": verified names {outside.group()!r}, '
                                       "which is outside the repository; say what was checked "
                                       "at which public address (or in docs/data/excerpts/)."))
        described = " ".join(fields.get(name, "") for name in ("title", "note", "keywords"))
        for flag, pattern in FLAGS.items():
            if pattern.search(described) and flag not in fields:
                found.append(Problem(line, f'entry "{key}" mentions a {flag} but has no '
                                           f'"{flag}" field; add {flag} = {{...}} so the guide '
                                           "labels it."))
    return found
