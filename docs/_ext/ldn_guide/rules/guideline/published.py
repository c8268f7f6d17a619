"""Published data: recommendations.json, every recommendation of every condition by ID, and its
check against docs/data/recommendations.schema.json (the schema given by the caller).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .certainty import certainty_of, outcome_certainty
from .edition import edition_labels
from .model import is_withdrawn
from .strength import printed_label
from .text import outcome_anchor, recommendation_anchor


def published_recommendations(conditions: Iterable[Mapping[str, Any]], edition: str,
                              pages: Mapping[str, str], changelog_page: str,
                              literature: Mapping[str, str] | None = None) -> dict:
    """The recommendations.json document: every recommendation of every condition, by ID.

    ``pages``: condition slug -> the condition page's URL relative to the site root. A
    withdrawn recommendation points to the changelog instead of an anchor. ``literature``:
    condition slug -> the date its literature was last searched (docs/data/searches.yaml),
    given as ``literature_current_through``. Deterministic: no build dates, IDs sorted.
    """
    records = []
    for data in conditions:
        outcomes, page = data["outcomes"], pages[data["condition"]]
        for rec_id, rec in data["recommendations"].items():
            withdrawn = is_withdrawn(rec)
            label = certainty_of(rec, outcomes)
            anchor = None if withdrawn else recommendation_anchor(rec_id)
            records.append({
                "id": rec_id, "condition": data["condition"], "kind": rec["kind"],
                "verb": rec["verb"], "text": rec["text"], "certainty": label,
                "certainty_label": printed_label(rec, outcomes),
                "strength": rec.get("strength"),
                "status": "withdrawn" if withdrawn else "current",
                "outcomes": [{"id": name, "name": outcomes[name]["name"],
                              "certainty": outcome_certainty(outcomes[name]),
                              "importance": outcomes[name]["importance"],
                              "url": f"{page}#{outcome_anchor(data['condition'], name)}"}
                             for name in rec.get("outcomes", [])],
                "page": changelog_page if withdrawn else page, "anchor": anchor,
                "url": changelog_page if withdrawn else f"{page}#{anchor}",
                "history": list(rec["history"]), "edition_label": edition_labels(rec["history"]),
                "rationale": rec["rationale"],
                **({"literature_current_through": literature[data["condition"]]}
                   if literature and data["condition"] in literature else {}),
            })
    return {"edition": edition, "recommendations": sorted(records, key=id_order)}


def id_order(record: Mapping[str, Any]) -> tuple[str, int]:
    """``FM-10`` after ``FM-9``."""
    prefix, number = record["id"].rsplit("-", 1)
    return prefix, int(number)


def validate_published(document: Mapping[str, Any], schema_document: Mapping[str, Any]
                       ) -> list[str]:
    """Messages for every way ``document`` breaks recommendations.schema.json."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema_document)
    return [f"{'/'.join(map(str, error.path)) or 'document'}: {error.message}"
            for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path))]
