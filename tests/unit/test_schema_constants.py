"""rules.guideline's Python constants say what docs/data/guideline.schema.json says.

The rules compute with names the schema also lists (levels, domains, upgrades, design classes,
kinds, verbs): an enum value added to or renamed in one and not the other would be accepted by
the schema and then mis-handled by the code (a KeyError, or a study counted on the wrong side).
"""

from __future__ import annotations

import json
from pathlib import Path

from ldn_guide.rules.guideline import model, text

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "data"
                     / "guideline.schema.json").read_text("utf-8"))
DEFS = SCHEMA["$defs"]
RECOMMENDATION = DEFS["recommendation"]["properties"]
OUTCOME = DEFS["outcome"]["properties"]
# The design classes that are neither randomised nor reviews: primary studies that start low.
NON_RANDOMISED = {"Single-blind", "Open-label", "Case series", "Observational"}


def test_levels_and_kind_labels_are_the_stated_certainties():
    stated = RECOMMENDATION["certainty_stated"]["enum"]
    assert sorted(model.LEVELS + tuple(model.KIND_LABEL.values())) == sorted(stated)
    assert set(OUTCOME["start"]["enum"]) <= set(model.LEVELS)


def test_kinds_are_the_schemas():
    assert sorted(["recommendation", *model.KIND_LABEL]) == sorted(RECOMMENDATION["kind"]["enum"])


def test_verbs_are_the_schemas():
    assert sorted(model.VERB_WORDS) == sorted(RECOMMENDATION["verb"]["enum"])


def test_domains_and_upgrades_are_the_schemas():
    domains = OUTCOME["domains"]
    assert list(model.DOMAINS) == list(domains["properties"])
    assert sorted(model.DOMAINS) == sorted(domains["required"])
    assert list(model.UPGRADES) == list(OUTCOME["upgrades"]["properties"])
    # Every domain and upgrade has a printed name for the footnotes.
    assert sorted(text.DOMAIN_NAMES) == sorted(model.DOMAINS + model.UPGRADES)


def test_design_classes_are_randomised_reviews_or_non_randomised():
    classes = DEFS["study"]["properties"]["design_class"]["enum"]
    assert model.RANDOMISED.isdisjoint(model.REVIEWS)
    assert (model.RANDOMISED | model.REVIEWS).issubset(classes)
    # A class added to the schema must be placed on purpose: it changes where outcomes start.
    assert set(classes) - model.RANDOMISED - model.REVIEWS == NON_RANDOMISED
