"""GRADE evidence profiles and recommendations: load, compute certainty, check, compare editions.

One file per condition, ``docs/data/conditions/<condition>.yaml``, validated against
``docs/data/guideline.schema.json`` (the caller passes the schema in: the adapters read the
project's own, under ``app.srcdir``). Nothing here imports Sphinx or docutils: the adapters
report each :class:`~ldn_guide.rules.Problem` as ``FILE:LINE: message``, with LINE relative to
the condition file and the message naming the study, outcome or recommendation ID.

The rules, each one a check below:

- **Certainty is computed, never typed.** An outcome starts ``high`` (every study randomised)
  or ``low`` (any study non-randomised), moves down one level per -1 in its five domains and up
  one per +1 upgrade, and stops at ``very low`` and ``high`` (:func:`outcome_certainty`).
- **A recommendation's certainty** is the lowest of its critical outcomes, or of all its
  outcomes if none is critical (:func:`recommendation_certainty`); its ``certainty_stated``
  must equal it. Good-practice points and hypotheses carry their own label ("good practice",
  "hypothesis"), never a GRADE level.
- **Verb and strength** (a deliberately simple rule): ``offer`` is a strong recommendation and
  needs moderate or high certainty; ``consider``, ``do-not-offer``, ``tell`` and ``do-not`` are
  allowed at any certainty (a "do not offer" may rest on low-certainty null trials; see
  docs/about/grading.md). A hypothesis may not ``offer`` or ``consider``. The text must begin
  with its verb ("Do not offer ...").
- **Wording**: a finding that says an effect ``reduces``/``improves``/``increases`` (and the
  like) uses GRADE's informative statement for its certainty: "probably" (moderate), "may"
  (low), "very uncertain" (very low) (Santesso et al. 2020, GRADE guidelines 26,
  doi:10.1016/j.jclinepi.2019.10.014).
- **Keys resolve**: outcomes name studies in the study table (primary studies, not reviews,
  whose results go under ``pooled``); recommendations name outcomes that exist; every citation
  key is in refs.bib (``known_keys``).
- **Absolute effects agree** (:mod:`.absolute`): an outcome's anticipated absolute effect (risk
  with LDN per 100 or 1,000) equals its comparator risk x its risk ratio (or, for an odds
  ratio, on the odds) within rounding; an outcome with nothing to pool has a narrative.
- **Edition control** (:func:`check_edition`): a recommendation whose text, verb or certainty
  differs from the last published edition's snapshot (docs/data/last-edition.json), or that
  has gone, needs a changelog entry naming its ID above that edition's heading.

The modules, in the order the build uses them: :mod:`.load` (read, parse once, validate),
:mod:`.lines` (where each path is in the file), :mod:`.model` (the schema's vocabulary),
:mod:`.certainty`, :mod:`.checks` (with :mod:`.absolute`, the anticipated absolute
effects' arithmetic), :mod:`.edition`, :mod:`.text` (what the tables and figures
print) and :mod:`.published` (recommendations.json). The names below are the package's
interface: ``from ldn_guide.rules import guideline`` then ``guideline.load_condition(...)``.
"""

from .absolute import absolute_text, check_absolute, relative_text
from .certainty import (
    certainty_after,
    certainty_label,
    certainty_of,
    certainty_symbols,
    downgrades,
    expected_start,
    outcome_certainty,
    recommendation_certainty,
)
from .checks import check_condition, check_recommendation, check_wording
from .edition import (
    check_edition,
    current_recommendations,
    edition_key,
    edition_labels,
    snapshot,
)
from .lines import line_index, line_of
from .load import load_condition, parse_condition
from .model import (
    DOMAINS,
    KIND_LABEL,
    LEVELS,
    RANDOMISED,
    REVIEWS,
    UPGRADES,
    VERB_WORDS,
    is_withdrawn,
    shown,
)
from .published import published_recommendations, validate_published
from .strength import STRENGTH_MEANING, VERB_MEANING, VERB_STRENGTHS, printed_label
from .text import (
    effect_text,
    estimate_with_ci,
    footnote_mark,
    footnotes,
    forest_description,
    forest_rows,
    number,
    outcome_anchor,
    participants_text,
    places,
    pooled_text,
    recommendation_anchor,
)

__all__ = [
    "DOMAINS", "KIND_LABEL", "LEVELS", "RANDOMISED", "REVIEWS", "UPGRADES", "VERB_WORDS",
    "absolute_text", "check_absolute", "relative_text",
    "certainty_after", "certainty_label", "certainty_of", "certainty_symbols",
    "check_condition", "check_edition", "check_recommendation", "check_wording",
    "current_recommendations", "downgrades", "edition_key", "edition_labels", "effect_text",
    "estimate_with_ci", "expected_start", "footnote_mark", "footnotes", "forest_description",
    "forest_rows", "is_withdrawn", "line_index", "line_of", "load_condition", "number",
    "outcome_anchor", "outcome_certainty", "parse_condition", "participants_text", "places",
    "pooled_text", "published_recommendations", "recommendation_anchor",
    "recommendation_certainty", "shown", "snapshot", "validate_published",
    "STRENGTH_MEANING", "VERB_MEANING", "VERB_STRENGTHS", "printed_label",
]
