"""``{recommendation-wording}``: the grading and methods pages' table of the verbs and strengths
the guide's current recommendations use, generated from every condition file, so the pages
cannot list a verb or strength the data does not use (review 2, A-W5).

One row per verb and strength in use (graded recommendations), then one per verb used by
points that are not graded; the meanings come from :mod:`ldn_guide.rules.guideline.strength`.
"""

from __future__ import annotations

from docutils import nodes

from ..rules import guideline
from ..rules.guideline.model import VERB_WORDS
from .guideline import GuidelineDirective, Paths


class RecommendationWording(GuidelineDirective):
    required_arguments = 0

    def run(self) -> list[nodes.Node]:
        used: dict[tuple[str, str], list[str]] = {}
        for path in sorted(Paths(self.env.srcdir).conditions.glob("*.yaml")):
            data = self.condition(path.stem)
            for rec_id, rec in (guideline.shown(data) if data else {}).items():
                key = (rec["verb"], rec.get("strength") or "not graded")
                used.setdefault(key, []).append(rec_id)
        order = list(VERB_WORDS)
        rows = sorted(used.items(), key=lambda item: (item[0][1] == "not graded",
                                                      order.index(item[0][0]), item[0][1]))
        lines = [":::{list-table}", ":header-rows: 1", ":class: recommendation-wording", "",
                 "* - Wording", "  - Strength", "  - What it means", "  - Used by"]
        for (verb, strength), ids in rows:
            meaning = guideline.VERB_MEANING[verb]
            if strength != "not graded":
                meaning += " " + guideline.STRENGTH_MEANING[strength]
            else:
                meaning += " A good practice point or hypothesis: not graded."
            lines += [f"* - **{VERB_WORDS[verb]}**", f"  - {strength.capitalize()}",
                      f"  - {meaning}", f"  - {', '.join(ids)}"]
        lines.append(":::")
        return [self.parse(lines, nodes.container(classes=["recommendation-wording-wrapper"]))]
