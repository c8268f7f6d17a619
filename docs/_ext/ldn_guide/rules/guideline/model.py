"""The vocabulary of docs/data/guideline.schema.json as Python constants, and the question every
module asks of a recommendation (is it withdrawn?).

The constants repeat the schema's enums and property names: ``tests/unit/test_schema_constants.py``
checks that they still equal them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LEVELS = ("very low", "low", "moderate", "high")  # index = number of ⊕
DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
UPGRADES = ("large_effect", "dose_response", "plausible_confounding")
RANDOMISED = frozenset({"RCT", "Crossover RCT"})
REVIEWS = frozenset({"Meta-analysis", "Systematic review"})
KIND_LABEL = {"good-practice": "good practice", "hypothesis": "hypothesis"}
VERB_WORDS = {  # how the text must begin for each verb
    "offer": "Offer", "consider": "Consider", "do-not-offer": "Do not offer", "tell": "Tell",
    "do-not": "Do not",
}


def is_withdrawn(rec: Mapping[str, Any]) -> bool:
    """True when the recommendation's last edition label is "withdrawn ..."."""
    return rec["history"][-1].startswith("withdrawn ")


def shown(data: Mapping[str, Any]) -> dict[str, dict]:
    """The recommendations printed on the page (not withdrawn), in file order."""
    return {rec_id: rec for rec_id, rec in data["recommendations"].items()
            if not is_withdrawn(rec)}
