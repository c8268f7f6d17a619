"""refs.bib in the build: syntax before pybtex parses it, then fields, flags and use.

The rules are in ``rules.bib_syntax`` and ``rules.bib_fields``; this module only reads the
file, calls them and turns each problem into a warning naming refs.bib and the line.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ..env_state import state
from ..report import Subtype, stop_build, warn, warn_problems
from ..rules import bib_fields, bib_syntax


def bibfiles(app: Sphinx) -> list[Path]:
    return [(Path(app.confdir) / name).resolve() for name in app.config.bibtex_bibfiles]


def check_syntax(app: Sphinx, config) -> None:
    """At config-inited, before sphinxcontrib-bibtex parses the files (at builder-inited):
    pybtex reports a syntax error where its scanner runs out (often the end of the file) and
    skips text outside entries, so stop first, naming the entry's line and the fix."""
    failed = []
    for path in bibfiles(app):
        if warn_problems(bib_syntax.check_bib_syntax(path.read_bytes()), path,
                         Subtype.BIB_SYNTAX):
            failed.append(path.name)
    if failed:
        stop_build(f"{', '.join(failed)} has syntax errors, listed above with their "
                             "lines; fix them and build again.")


def check_fields(app: Sphinx, env, docnames: list[str]) -> None:
    """At env-before-read-docs, after sphinxcontrib-bibtex has parsed the files (at
    builder-inited): fields, identifiers and flags."""
    parsed = env.get_domain("cite").bibdata.data.entries
    lines = state(env).bib_lines
    lines.clear()
    for path in bibfiles(app):
        entries = bib_fields.scan_entries(path.read_text(encoding="utf-8"), parsed)
        lines.update({entry["key"]: f"{path}:{entry['line']}" for entry in entries})
        warn_problems(bib_fields.check_entries(entries), path, Subtype.BIB)


def depend_on_bibfiles(app: Sphinx, doctree: nodes.document) -> None:
    """A page that cites refs.bib is re-read when refs.bib changes, so its citations are never
    stale (sphinxcontrib-bibtex itself rewrites only the reference list)."""
    cites = any(node.get("refdomain") == "cite" for node in doctree.findall(addnodes.pending_xref))
    if cites:
        for path in bibfiles(app):
            app.env.note_dependency(str(path))


def warn_uncited(app: Sphinx, env) -> None:
    domain = env.get_domain("cite")
    cited = {target.key for ref in domain.citation_refs for target in ref.targets}
    lines = state(env).bib_lines
    for key in sorted(set(domain.bibdata.data.entries) - cited):
        warn(f'entry "{key}" is never cited; cite it from a page or delete it.', Subtype.BIB,
             location=lines.get(key))
