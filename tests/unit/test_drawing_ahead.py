"""adapters/drawing_ahead.py: the figures drawn in a second process while Sphinx reads.

The build takes a drawing from the drawer only when it is the one the directive would draw
itself; these tests give it the guide's own figures, and faults: a drawing asked for from
other rows, a drawer in another process, a drawer that stopped without answering.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ldn_guide.adapters import drawing_ahead, figures
from ldn_guide.adapters.guideline_figures import figures_to_draw

REPO = Path(__file__).resolve().parents[2]


def jobs() -> list[dict]:
    data = yaml.safe_load((REPO / "docs/data/conditions/depression.yaml").read_text())
    return figures_to_draw(data)


def drawer_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "docs" / "_ext")}


def test_the_drawer_draws_what_the_build_would_draw_byte_for_byte():
    listed = jobs()
    assert listed, "depression has outcomes with figures"
    answer = subprocess.run([sys.executable, "-m", "ldn_guide.adapters.drawing_ahead"],
                            input=json.dumps(listed), capture_output=True, text=True,
                            env=drawer_env(), check=True).stdout
    drawn = json.loads(answer)
    assert sorted(drawn) == sorted(job["figure_id"] for job in listed)
    for job in listed:
        assert drawn[job["figure_id"]] == figures.draw_forest(job["rows"], job["figure_id"],
                                                              job["title"])


def a_drawer(answer: bytes, started_by: int | None = None) -> drawing_ahead.Drawer:
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdout.buffer.write("
                                f"{answer!r})"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    process.stdin.close()
    return drawing_ahead.Drawer(process, started_by or os.getpid(), {"figure-a": "rows a"})


class Environment:  # any object a weak reference can point to: the drawers are keyed by it
    pass


@pytest.fixture
def env():
    env = Environment()
    yield env
    drawer = drawing_ahead.DRAWERS.pop(env, None)
    if drawer is not None and drawer.process.returncode is None:
        drawer.process.kill()
        drawing_ahead.finish(drawer.process)


def test_a_drawing_is_taken_only_if_drawn_from_the_same_rows(env):
    drawing_ahead.DRAWERS[env] = a_drawer(json.dumps({"figure-a": "<svg/>"}).encode())
    assert drawing_ahead.drawn(env, "figure-a", "rows changed since") is None
    assert drawing_ahead.drawn(env, "figure-b", "rows a") is None
    assert drawing_ahead.drawn(env, "figure-a", "rows a") == "<svg/>"


def test_a_parallel_reader_draws_its_own(env):
    drawing_ahead.DRAWERS[env] = a_drawer(b'{"figure-a": "<svg/>"}', started_by=os.getpid() + 1)
    assert drawing_ahead.drawn(env, "figure-a", "rows a") is None


def test_a_drawer_that_stopped_without_answering_leaves_the_drawing_to_the_build(env):
    drawing_ahead.DRAWERS[env] = a_drawer(b"Traceback (most recent call last):")
    assert drawing_ahead.drawn(env, "figure-a", "rows a") is None
    assert drawing_ahead.DRAWERS[env].process.returncode == 0  # waited for, not left running


def test_a_drawer_nobody_asked_is_stopped_when_every_page_is_read(env):
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    process.stdin.close()
    drawing_ahead.DRAWERS[env] = drawing_ahead.Drawer(process, os.getpid(), {})
    drawing_ahead.stop(None, env)
    assert process.returncode is not None and env not in drawing_ahead.DRAWERS
