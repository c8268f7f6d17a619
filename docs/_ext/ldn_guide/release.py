"""Refresh docs/data/last-edition.json when an edition is published (`nox -s release-snapshot`).

The snapshot is what edition control compares against: after a release, a recommendation whose
text, verb or certainty changes needs a changelog entry naming its ID before the build passes.

    python -m ldn_guide.release EDITION YYYY-MM-DD
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .rules import grade

DATA = Path(__file__).resolve().parents[2] / "data"


def refresh(edition: str, published: str, data: Path = DATA) -> Path:
    recommendations: dict = {}
    for path in sorted((data / "conditions").glob("*.yaml")):
        condition, problems = grade.load_condition(path)
        if condition is None:
            raise SystemExit("\n".join(f"{path}:{p.line}: {p.message}" for p in problems))
        recommendations.update(grade.current_recommendations(condition))
    target = data / "last-edition.json"
    document = json.loads(target.read_text(encoding="utf-8"))
    document.update(grade.snapshot(recommendations, edition, published))
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m ldn_guide.release EDITION YYYY-MM-DD")
    print(f"wrote {refresh(sys.argv[1], sys.argv[2])}")
