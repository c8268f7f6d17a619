"""Check refs.bib as soon as sphinxcontrib-bibtex has read it.

The fields come from sphinxcontrib-bibtex's own parse (the file is parsed once per build, and
not at all when it has not changed); a scan of the raw text adds what that parse loses: the
line of each entry, and every entry under a duplicate key.

Every problem is a Sphinx warning naming refs.bib and the line, so ``-W`` stops the build:

* a duplicate key (pybtex silently drops every entry after one);
* a missing required field, a malformed DOI, PMID, PMCID or access date;
* an entry that mentions a retraction or correction but lacks the field that flags it;
* an entry that no page cites.

How flagged entries are shown is docs/_ext/reference_style.py's job.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

ENTRY_START = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)
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


def scan_entries(text: str, parsed: dict) -> list[dict]:
    """Every entry of the raw .bib text, duplicates included, with its line number and the
    fields pybtex read for its key (``parsed``: key -> pybtex entry)."""
    entries = []
    for match in ENTRY_START.finditer(text):
        if match.group(1).lower() in ("comment", "preamble", "string"):
            continue
        key = match.group(2)
        entries.append(
            {
                "type": match.group(1).lower(),
                "key": key,
                "line": text.count("\n", 0, match.start()) + 1,
                "fields": fields_of(parsed[key]) if key in parsed else {},
            }
        )
    return entries


def fields_of(entry) -> dict[str, str]:
    """Field values of one pybtex entry (names are lower-cased), authors and editors included."""
    fields = {name.lower(): str(value) for name, value in entry.fields.items()}
    if entry.persons:
        fields.update({role.lower(): " and ".join(map(str, people))
                       for role, people in entry.persons.items()})
    return fields


def problems(entries: list[dict]) -> list[tuple[int, str]]:
    """(line, message) for every fault in the scanned entries."""
    found = []
    first_line: dict[str, int] = {}
    for entry in entries:
        key, line, fields = entry["key"], entry["line"], entry["fields"]
        if key in first_line:
            found.append(
                (line, f'duplicate key "{key}" (first defined at line {first_line[key]}); pybtex '
                       "would drop every entry after it. Rename one entry or merge the two.")
            )
            continue
        first_line[key] = line
        if entry["type"] == "article":
            missing = [name for name in ARTICLE_FIELDS if not fields.get(name)]
            if not (fields.get("doi") or fields.get("pmid")):
                missing.append("doi or pmid")
        else:
            missing = [name for name in ("title", "url", "urldate") if not fields.get(name)]
        if missing:
            found.append(
                (line, f'entry "{key}" (@{entry["type"]}) lacks {", ".join(missing)}. Add the '
                       "field(s), checked against the publisher, PubMed or the web page.")
            )
        for name, (pattern, expected) in FORMATS.items():
            if name in fields and not pattern.match(fields[name]):
                found.append((line, f'entry "{key}": {name} "{fields[name]}" is malformed; '
                                    f"write {expected}."))
        described = " ".join(fields.get(name, "") for name in ("title", "note", "keywords"))
        for flag, pattern in FLAGS.items():
            if pattern.search(described) and flag not in fields:
                found.append((line, f'entry "{key}" mentions a {flag} but has no "{flag}" '
                                    f'field; add {flag} = {{...}} so the guide labels it.'))
    return found


def check_bibfiles(app: Sphinx) -> None:
    parsed = app.env.get_domain("cite").bibdata.data.entries
    for bibfile in app.config.bibtex_bibfiles:
        path = (Path(app.confdir) / bibfile).resolve()
        entries = scan_entries(path.read_text(encoding="utf-8"), parsed)
        app.env.bibcheck_lines = {entry["key"]: f"{path}:{entry['line']}" for entry in entries}
        for line, message in problems(entries):
            logger.warning(message, location=f"{path}:{line}", type="bibcheck", subtype="entry")


def warn_uncited(app: Sphinx, env) -> None:
    domain = env.get_domain("cite")
    cited = {target.key for ref in domain.citation_refs for target in ref.targets}
    for key in sorted(set(domain.bibdata.data.entries) - cited):
        logger.warning(
            f'entry "{key}" is never cited; cite it from a page or delete it.',
            location=env.bibcheck_lines.get(key),
            type="bibcheck",
            subtype="uncited",
        )


def setup(app: Sphinx) -> dict:
    # After sphinxcontrib-bibtex's own builder-inited handler (priority 500) has parsed it.
    app.connect("builder-inited", check_bibfiles, priority=600)
    app.connect("env-check-consistency", warn_uncited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
