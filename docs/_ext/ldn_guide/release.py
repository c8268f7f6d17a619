"""Refresh docs/data/last-edition.json when an edition is published (`nox -s release-snapshot`).

The snapshot is what edition control compares against: after a release, a recommendation whose
text, verb or certainty changes needs a changelog entry naming its ID before the build passes.

    python -m ldn_guide.release DATA EDITION YYYY-MM-DD

DATA is the guide's data folder (nox passes docs/data): its condition files, checked against
its own guideline.schema.json, give the recommendations; its last-edition.json is rewritten.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .rules import guideline

USAGE = "usage: python -m ldn_guide.release DATA EDITION YYYY-MM-DD"


def refresh(edition: str, published: str, data: Path) -> Path:
    schema = json.loads((data / "guideline.schema.json").read_text(encoding="utf-8"))
    recommendations: dict = {}
    for path in sorted((data / "conditions").glob("*.yaml")):
        condition, problems = guideline.load_condition(path, None, schema)
        if condition is None:
            raise SystemExit("\n".join(f"{path}:{p.line}: {p.message}" for p in problems))
        recommendations.update(guideline.current_recommendations(condition))
    target = data / "last-edition.json"
    document = json.loads(target.read_text(encoding="utf-8"))
    document.update(guideline.snapshot(recommendations, edition, published))
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def main(arguments: list[str]) -> None:
    if len(arguments) != 3:
        raise SystemExit(USAGE)
    data, edition, published = arguments
    print(f"wrote {refresh(edition, published, Path(data))}")


if __name__ == "__main__":
    main(sys.argv[1:])
