"""The release snapshot: after `nox -s release-snapshot`, the edition's recommendations are the
new baseline, so edition control passes with no changelog entry until one changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ldn_guide import release
from ldn_guide.rules import guideline

DATA = Path(__file__).resolve().parents[2] / "docs" / "data"


def test_a_refreshed_snapshot_is_the_new_baseline(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    release.refresh("2099.1", "2099-01-01", data)
    snapshot = json.loads((data / "last-edition.json").read_text(encoding="utf-8"))
    assert snapshot["edition"] == "2099.1" and snapshot["published"] == "2099-01-01"
    schema = json.loads((data / "guideline.schema.json").read_text(encoding="utf-8"))
    current = {}
    for path in sorted((data / "conditions").glob("*.yaml")):
        condition, problems = guideline.load_condition(path, None, schema)
        assert problems == []
        current.update(guideline.current_recommendations(condition))
    assert guideline.check_edition(current, snapshot, "# Changes\n") == []
    shown = {rec_id for rec_id, rec in current.items() if not rec["withdrawn"]}
    assert set(snapshot["recommendations"]) == shown
