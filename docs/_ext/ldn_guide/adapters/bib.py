"""refs.bib in the build: syntax before pybtex parses it, then fields, flags and use.

The rules are in ``rules.bib_syntax`` and ``rules.bib_fields``; this module only reads the
file, calls them and turns each problem into a warning naming refs.bib and the line.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..conventions import WARNING_TYPE
from ..rules import bib_fields, bib_syntax

logger = logging.getLogger(__name__)


def stop_build(message: str) -> None:
    """Stop the build after the warnings above, without a traceback.

    Sphinx 9 prints a traceback for any exception an extension raises, SphinxError included
    (sphinx/_cli/util/errors.py); reading on would only add a page of follow-on errors.
    """
    logger.error(message)
    raise SystemExit(2)


def bibfiles(app: Sphinx) -> list[Path]:
    return [(Path(app.confdir) / name).resolve() for name in app.config.bibtex_bibfiles]


def check_syntax(app: Sphinx) -> None:
    """Before sphinxcontrib-bibtex parses the files (builder-inited, priority 500): pybtex
    stops on a syntax error with a traceback and no line, so stop first, naming the line."""
    failed = []
    for path in bibfiles(app):
        problems = bib_syntax.check_bib_syntax(path.read_bytes())
        for problem in problems:
            logger.warning(problem.message, location=f"{path}:{problem.line}",
                           type=WARNING_TYPE, subtype="bib_syntax")
        if problems:
            failed.append(path.name)
    if failed:
        stop_build(f"{', '.join(failed)} has syntax errors, listed above with their "
                             "lines; fix them and build again.")


def check_fields(app: Sphinx) -> None:
    """After sphinxcontrib-bibtex has parsed the files: fields, identifiers and flags."""
    parsed = app.env.get_domain("cite").bibdata.data.entries
    app.env.ldn_guide_bib_lines = {}
    for path in bibfiles(app):
        entries = bib_fields.scan_entries(path.read_text(encoding="utf-8"), parsed)
        app.env.ldn_guide_bib_lines.update(
            {entry["key"]: f"{path}:{entry['line']}" for entry in entries})
        for problem in bib_fields.check_entries(entries):
            logger.warning(problem.message, location=f"{path}:{problem.line}",
                           type=WARNING_TYPE, subtype="bib")


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
    lines = getattr(env, "ldn_guide_bib_lines", {})
    for key in sorted(set(domain.bibdata.data.entries) - cited):
        logger.warning(f'entry "{key}" is never cited; cite it from a page or delete it.',
                       location=lines.get(key), type=WARNING_TYPE, subtype="bib")
