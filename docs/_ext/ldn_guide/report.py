"""The one way a check of the guide tells the author about a problem.

Every problem becomes a Sphinx warning with the guide's warning type and one named subtype,
so ``-W`` stops the build, the message names the file and line, and one kind of check could be
silenced by name in ``suppress_warnings`` (``"ldn_guide.links"``) if that were ever needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from sphinx.util import logging

from .conventions import WARNING_TYPE
from .rules import Problem

logger = logging.getLogger(__name__)


class Subtype(StrEnum):
    """Which check found the problem (the warning's subtype)."""

    BIB = "bib"  # refs.bib fields, identifiers, flags, entries nobody cites
    BIB_SYNTAX = "bib_syntax"  # refs.bib that pybtex could not parse
    ENCODING = "encoding"  # a page or data file that is not UTF-8
    REVIEW_DATES = "review_dates"  # last_reviewed / next_review front matter
    CLAIMS = "claims"  # banned wording, known errors of the commissioning article
    RAW_HTML = "raw_html"  # raw HTML outside the guide's policy
    TEMPLATE = "template"  # a condition page that breaks the template
    # condition files, GRADE, edition control, recommendations.json, the review log
    EVIDENCE = "evidence"
    SCREENING = "screening"  # the pharmacist's decision table (docs/data/screening.yaml)
    # numbers without a quoted source, excerpt files, refs.bib against the records they quote
    NUMBERS = "numbers"
    SEARCHES = "searches"  # docs/data/searches.yaml, literature dates, the AGREE II table
    PDF = "pdf"  # the PDFs and their workers
    LINKS = "links"  # internal (lychee) and external (linkcheck) links


def warn(message: str, subtype: Subtype, location=None) -> None:
    """One warning; ``location`` is ``"path:line"``, ``(docname, line)`` or None."""
    logger.warning(message, location=location, type=WARNING_TYPE, subtype=subtype.value)


def warn_problems(problems: Iterable[Problem], path: Path | str, subtype: Subtype) -> int:
    """A warning for each problem a rule found in one file, at its line; how many there were."""
    count = 0
    for problem in problems:
        warn(problem.message, subtype, location=f"{path}:{problem.line}")
        count += 1
    return count


def stop_build(message: str) -> None:
    """Stop the build after the warnings above, without a traceback.

    Sphinx 9 prints a traceback for any exception an extension raises, SphinxError included
    (sphinx/_cli/util/errors.py); reading on would only add a page of follow-on errors.
    """
    logger.error(message)
    raise SystemExit(2)
