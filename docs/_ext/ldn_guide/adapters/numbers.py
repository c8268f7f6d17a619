"""The number rule and the bibliographic check in the build (rules/numbers.py,
rules/excerpts.py), and the ``{derived}`` role.

* env-before-read-docs: every excerpt file is valid, and each refs.bib entry agrees with the
  record its excerpt file quotes (authors, title, year, DOI, PMID);
* source-read: every number of a citing sentence is in an excerpt of a work it cites, or is
  the guide's own arithmetic (``{derived}`11 = 50 / 4.5```), recomputed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from ..report import Subtype, warn
from ..rules import csl, excerpts, numbers
from .bib import bibfiles

# Parsed excerpt files by (path, digest of their bytes): every page reads them, and a file is
# parsed again only when it changes (no clock or file times involved).
PARSED: dict[tuple[str, str], tuple[excerpts.Work | None, list]] = {}


def works(data_dir: Path) -> tuple[dict[str, excerpts.Work], list]:
    import json

    found, problems = {}, []
    if not (data_dir / excerpts.FOLDER).is_dir():
        return found, problems  # a project that quotes nothing yet
    schema = json.loads((data_dir / excerpts.SCHEMA).read_text(encoding="utf-8"))
    for path in sorted((data_dir / excerpts.FOLDER).glob("*.yaml")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if (str(path), digest) not in PARSED:
            PARSED[(str(path), digest)] = excerpts.load_work(path, schema)
        work, file_problems = PARSED[(str(path), digest)]
        problems += [(path, problem) for problem in file_problems]
        if work is not None:
            found[work.key] = work
    return found, problems


def check_excerpts_and_bib(app: Sphinx, env, docnames: list[str]) -> None:
    """At env-before-read-docs (after bib.check_fields): the excerpt files, and refs.bib
    against the records they quote."""
    found, problems = works(Path(app.srcdir) / "data")
    for path, problem in problems:
        warn(problem.message, Subtype.NUMBERS, location=f"{path}:{problem.line}")
    entries = env.get_domain("cite").bibdata.data.entries
    lines = {}
    from ..rules import bib_fields

    for path in bibfiles(app):
        for entry in bib_fields.scan_entries(path.read_text(encoding="utf-8"), entries):
            lines[entry["key"]] = f"{path}:{entry['line']}"
    for key, work in sorted(found.items()):
        if key not in entries:
            warn(f"{work.path.name} quotes work {key!r}, which refs.bib does not hold: add the "
                 "entry or remove the file", Subtype.NUMBERS, location=f"{work.path}:1")
            continue
        entry = entries[key]
        # Only the fields compared are decoded: latexcodec takes a millisecond a field.
        fields = {name.lower(): (value if name.lower() in csl.VERBATIM else csl.plain(value))
                  for name, value in entry.fields.items()
                  if name.lower() in excerpts.COMPARED_FIELDS}
        authors = [f"{person['family']}, {person.get('given', '')}".rstrip(", ")
                   if "family" in person else person.get("literal", "")
                   for person in (csl.person(name) for name in entry.persons.get("author", []))]
        for message in excerpts.bib_disagreements(fields, authors, work.record):
            warn(f"refs.bib entry {key}: {message} ({work.path.name}); correct refs.bib, or the "
                 "record if it was copied wrongly", Subtype.NUMBERS, location=lines.get(key))


def check_condition_files(app: Sphinx, env, docnames: list[str]) -> None:
    """At env-before-read-docs: the number rule on each condition file's study and outcome
    fields (a faulty file is reported by the guideline checks, not here)."""
    from ..rules.guideline.lines import line_of, load_with_lines

    found, _ = works(Path(app.srcdir) / "data")
    for path in sorted((Path(app.srcdir) / "data" / "conditions").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data, problems, lines = load_with_lines(text)
        if data is None:
            continue
        problems, _ = numbers.check_condition(data or {}, found)
        for where, message in problems:
            warn(message, Subtype.NUMBERS, location=f"{path}:{line_of(lines, *where)}")


def check_numbers(app: Sphinx, docname: str, source: list[str]) -> None:
    """At source-read: the number rule on one page."""
    found, _ = works(Path(app.srcdir) / "data")
    problems, _ = numbers.check_page(source[0], found)
    cited = {key for claim in numbers.claims(source[0]) for key in claim.keys}
    for key in sorted(cited & set(found)):
        app.env.note_dependency(str(found[key].path))  # re-checked when an excerpt changes
    for problem in problems:
        warn(problem.message, Subtype.NUMBERS, location=(docname, problem.line))


def derived_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{derived}`11 = 50 / 4.5```: shows 11 (rules/numbers.py recomputes it)."""
    value, _, _ = text.partition("=")
    return [nodes.Text(value.strip())], []


def add_role(app: Sphinx) -> None:
    app.add_role("derived", derived_role)
