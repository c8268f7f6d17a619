"""What the guide's extension keeps in Sphinx's build environment, in one typed object.

Sphinx pickles the environment between builds, so what is kept here survives an incremental
rebuild: validated condition files, drawn figures, formatted references and the line of each
refs.bib entry. It lives on ``env.ldn_guide``; :func:`state` creates it on first use (a fresh
environment, or one pickled before this object existed: ``ENV_VERSION`` in ``__init__`` makes
Sphinx read everything again then).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GuideEnvState:
    # condition file path -> (file stamp, validated data or None, problems)
    conditions: dict[str, tuple] = field(default_factory=dict)
    # figure id -> (what it was drawn from, SVG): one entry per figure, so an edit replaces it
    figures: dict[str, tuple[str, str]] = field(default_factory=dict)
    # sphinxcontrib-bibtex's formatted entries by fingerprint (adapters/references.py)
    formatted_references: dict[tuple, object] = field(default_factory=dict)
    # the screening table: (file stamp, validated table or None, problems)
    screening: tuple | None = None
    # refs.bib key -> "path:line", for the "never cited" warning
    bib_lines: dict[str, str] = field(default_factory=dict)


def state(env) -> GuideEnvState:
    """The guide's state in this environment."""
    kept = getattr(env, "ldn_guide", None)
    if not isinstance(kept, GuideEnvState):
        kept = env.ldn_guide = GuideEnvState()
    return kept


def merge_parallel_reads(app, env, docnames, other) -> None:
    """Parallel reads (-j) validate files and draw figures in worker processes: keep them."""
    mine, theirs = state(env), state(other)
    mine.conditions.update(theirs.conditions)
    mine.figures.update(theirs.figures)
