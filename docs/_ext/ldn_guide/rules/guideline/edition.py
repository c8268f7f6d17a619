"""Edition control: a recommendation whose text, verb or certainty differs from the last
published edition's snapshot (docs/data/last-edition.json), or that has gone, needs a changelog
entry naming its ID above that edition's heading (:func:`check_edition`); :func:`snapshot` makes
the document the next edition is compared with (``nox -s release-snapshot``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import Problem
from .certainty import certainty_of
from .lines import line_of
from .model import is_withdrawn


def edition_key(edition: str) -> tuple[int, ...]:
    """``"2026.2"`` -> ``(2026, 2)``, so editions compare in order."""
    return tuple(int(part) for part in edition.split("."))


def edition_labels(history: Iterable[str]) -> str:
    """NICE-style edition label: ``["new 2026.1", "amended 2026.2"]`` -> ``"[2026.1, amended
    2026.2]"``."""
    parts = [label.split()[1] if label.startswith("new ") else label for label in history]
    return "[" + ", ".join(parts) + "]"


def current_recommendations(data: Mapping[str, Any], lines: Mapping[tuple, int] | None = None
                            ) -> dict[str, dict]:
    """ID -> {condition, kind, verb, text, certainty, outcomes, history, line} for one condition.

    ``certainty`` is the computed label (GRADE level, "good practice" or "hypothesis").
    """
    lines = lines or {}
    return {
        rec_id: {
            "condition": data["condition"], "kind": rec["kind"], "verb": rec["verb"],
            "text": rec["text"], "certainty": certainty_of(rec, data["outcomes"]),
            "outcomes": list(rec.get("outcomes", [])), "history": list(rec["history"]),
            "withdrawn": is_withdrawn(rec), "line": line_of(lines, "recommendations", rec_id),
        }
        for rec_id, rec in data["recommendations"].items()
    }


def snapshot(recommendations: Mapping[str, Mapping[str, Any]], edition: str,
             published: str) -> dict:
    """The last-edition.json document for ``recommendations`` (from current_recommendations)."""
    fields = ("condition", "kind", "verb", "text", "certainty")
    return {"edition": edition, "published": published,
            "recommendations": {rec_id: {field: rec[field] for field in fields}
                                for rec_id, rec in sorted(recommendations.items())
                                if not rec.get("withdrawn")}}


@dataclass(frozen=True)
class Since:
    """What changed since the snapshot's edition (None when the snapshot names none) may be
    excused by: the changelog text above that edition's heading."""

    edition: str | None
    changelog: str

    @property
    def name(self) -> str:
        return self.edition or "the snapshot"

    def names(self, rec_id: str) -> bool:
        """True when a changelog entry since the edition names ``rec_id``."""
        return bool(re.search(rf"(?<![\w-]){re.escape(rec_id)}(?![\w-])", self.changelog))

    def later(self, rec: Mapping[str, Any]) -> list[str]:
        """Its history labels for editions after the snapshot's."""
        if not self.edition:
            return list(rec.get("history", []))
        return [label for label in rec.get("history", [])
                if edition_key(label.split()[1]) > edition_key(self.edition)]


def check_edition(current_recs: Mapping[str, Mapping[str, Any]],
                  snapshot_recs: Mapping[str, Any], changelog_text: str) -> list[Problem]:
    """A recommendation changed or withdrawn since the snapshot without a changelog entry.

    ``current_recs``: ID -> {text, verb, certainty[, line]}, as from current_recommendations
    (merged across conditions). ``snapshot_recs``: the last-edition.json document, or just its
    ``recommendations`` mapping. Only changelog text above the snapshot edition's own heading
    ("## Edition 2026.1 ...") counts, so the entry that first published an ID does not excuse
    a later change; without that heading the whole changelog counts.
    """
    edition = snapshot_recs.get("edition") if "recommendations" in snapshot_recs else None
    published = snapshot_recs.get("recommendations", snapshot_recs)
    since = Since(edition, changelog_since(changelog_text, edition))
    problems = []
    for rec_id, new in sorted(current_recs.items()):
        if rec_id in published or "history" not in new or new.get("withdrawn"):
            continue  # published before, or withdrawn before the snapshot was taken
        problems += check_new(rec_id, new, since)
    for rec_id, old in sorted(published.items()):
        new = current_recs.get(rec_id)
        if new is None or new.get("withdrawn"):
            problems += check_withdrawn(rec_id, new, since)
        else:
            problems += check_changed(rec_id, old, new, since)
    return problems


def changelog_since(changelog_text: str, edition: str | None) -> str:
    """The changelog above the edition's own heading (all of it without one)."""
    if edition:
        heading = re.search(rf"^#+ .*\bEdition {re.escape(edition)}\b", changelog_text,
                            re.MULTILINE)
        if heading:
            return changelog_text[:heading.start()]
    return changelog_text


def check_new(rec_id: str, new: Mapping[str, Any], since: Since) -> list[Problem]:
    """A recommendation new since the snapshot: a changelog entry and a later "new" label."""
    problems = []
    line = new.get("line", 1)
    if not since.names(rec_id):
        problems.append(Problem(line, f"recommendation {rec_id} is new since edition "
                                      f"{since.name} but no changelog entry names {rec_id}"))
    if not any(label.startswith("new ") for label in since.later(new)):
        problems.append(Problem(line, f"recommendation {rec_id} is new since edition "
                                      f"{since.name}; its history needs "
                                      '"new <edition>" for a later edition'))
    return problems


def check_withdrawn(rec_id: str, new: Mapping[str, Any] | None, since: Since) -> list[Problem]:
    """A published recommendation that has gone (or is withdrawn): a changelog entry."""
    if since.names(rec_id):
        return []
    line = new.get("line", 1) if new else 1
    return [Problem(line, f"recommendation {rec_id} was published in edition {since.name} and "
                          "has gone, but no changelog entry names it")]


def check_changed(rec_id: str, old: Mapping[str, Any], new: Mapping[str, Any], since: Since
                  ) -> list[Problem]:
    """A published recommendation whose text, verb or certainty changed: a later "amended"
    label and a changelog entry (naming the old and new verb or certainty)."""
    changed = [field for field in ("text", "verb", "certainty") if new[field] != old[field]]
    if not changed:
        return []
    problems = []
    line, what = new.get("line", 1), ", ".join(changed)
    if "history" in new and not any(label.startswith("amended ") for label in since.later(new)):
        problems.append(Problem(line, f"recommendation {rec_id}: {what} changed since edition "
                                      f"{since.name} but its history has no later "
                                      '"amended <edition>" label'))
    if not since.names(rec_id):
        detail = "; ".join(f"{field} {json.dumps(old[field], ensure_ascii=False)} -> "
                           f"{json.dumps(new[field], ensure_ascii=False)}"
                           for field in changed if field != "text")
        problems.append(Problem(line, f"recommendation {rec_id}: {what} changed since edition "
                                      f"{since.name} but no changelog entry names {rec_id}"
                                      + (f" ({detail})" if detail else "")))
    return problems
