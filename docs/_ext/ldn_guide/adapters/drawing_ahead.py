"""The condition pages' figures, drawn in a second process while Sphinx reads the other pages.

Importing matplotlib and drawing the five figures took 0.6 s of the build's reading, on one
core while the other waited for the PDFs. On a first build :func:`start` starts
``python -m ldn_guide.adapters.drawing_ahead`` with the PDF workers, and it imports matplotlib
at once; once sphinxcontrib-bibtex has parsed refs.bib (the condition files' checks need it),
:func:`send_jobs` sends it the figures the environment does not hold yet (on a rebuild, the
drawer starts then, and only if one is missing). The ``{outcome-figures}`` directive stays the
authority: it takes a drawing from here only if it was drawn from exactly its own rows and
title (:func:`drawn`), and draws anything else itself, as before. A parallel reader (``-j``)
draws its own: only the process that started the drawer reads its answer.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import weakref

# The drawer of each build's environment (several builds share one process in the tests).
DRAWERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclasses.dataclass
class Drawer:
    process: subprocess.Popen
    started_by: int  # the process id: a forked parallel reader draws its own figures
    drawn_from: dict[str, str]  # figure id -> the rows and title it is drawn from
    drawings: dict[str, str] | None = None  # figure id -> SVG, once answered


def start(app) -> None:
    """builder-inited, before the PDF workers start: on a first build (the environment holds
    no drawing yet) the drawer starts at once, and imports matplotlib while Sphinx starts."""
    from ..env_state import state

    if draws_figures(app) and not state(app.env).figures:
        DRAWERS[app.env] = Drawer(drawer_process(), os.getpid(), {})


def send_jobs(app) -> None:
    """builder-inited, once sphinxcontrib-bibtex has parsed refs.bib (the condition files'
    checks need it): the figures the environment lacks, to the drawer (started now if
    :func:`start` did not)."""
    from ..env_state import state
    from . import guideline
    from .guideline_figures import figures_to_draw

    if not draws_figures(app):
        return
    held = state(app.env).figures
    jobs = [job for data in guideline.conditions_for_build(app.env, guideline.Paths(app.srcdir))
            for job in figures_to_draw(data)
            if held.get(job["figure_id"], ("",))[0] != job["drawn_from"]]
    drawer = DRAWERS.get(app.env)
    if drawer is None:
        if not jobs:
            return
        drawer = DRAWERS[app.env] = Drawer(drawer_process(), os.getpid(), {})
    drawer.drawn_from = {job["figure_id"]: job["drawn_from"] for job in jobs}
    try:
        drawer.process.stdin.write(json.dumps(jobs).encode())
        drawer.process.stdin.close()
    except BrokenPipeError:  # it died starting up: the directive draws every figure itself
        pass


def draws_figures(app) -> bool:
    """A builder that shows figures, in a process that has not imported matplotlib yet (a
    process that has, like the test suite's, draws as fast as the drawer would)."""
    from .page_layout import PRINT_BUILDERS

    return ((app.builder.format == "html" or app.builder.name in PRINT_BUILDERS)
            and "matplotlib.figure" not in sys.modules)


def drawer_process() -> subprocess.Popen:
    from .pdf import worker_env

    return subprocess.Popen([sys.executable, "-m", __name__], env=worker_env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def drawn(env, figure_id: str, drawn_from: str) -> str | None:
    """The drawer's SVG of ``figure_id`` if it was drawn from ``drawn_from``, else None."""
    drawer = DRAWERS.get(env)
    if drawer is None or drawer.started_by != os.getpid():
        return None
    if drawer.drawn_from.get(figure_id) != drawn_from:
        return None
    if drawer.drawings is None:
        answer = finish(drawer.process)
        try:
            drawer.drawings = json.loads(answer)
        except json.JSONDecodeError:  # it stopped (its error is printed above): draw here
            drawer.drawings = {}
    return drawer.drawings.get(figure_id)


def stop(app, env) -> None:
    """env-updated: every page is read; a drawer nobody asked (no condition page was read)
    is stopped."""
    drawer = DRAWERS.pop(env, None)
    if drawer is not None and drawer.started_by == os.getpid() and drawer.drawings is None:
        drawer.process.kill()
        finish(drawer.process)


def finish(process: subprocess.Popen) -> bytes:
    """What the drawer wrote on stdout, once it has exited (its stdin is closed already)."""
    answer = process.stdout.read()
    process.stdout.close()
    process.wait()
    return answer


def main() -> None:
    """The drawer: jobs (figure id, title, rows) as JSON on stdin, SVGs by id on stdout. A
    figure it cannot draw is left out: the directive draws it, and reports what is wrong."""
    import matplotlib.figure  # noqa: F401  (while Sphinx starts, before the jobs come)

    from .figures import draw_forest

    drawings = {}
    for job in json.load(sys.stdin):
        try:
            drawings[job["figure_id"]] = draw_forest(job["rows"], job["figure_id"], job["title"])
        except Exception:  # noqa: BLE001, S112  (drawn again, with its error, in the build)
            continue
    json.dump(drawings, sys.stdout)


if __name__ == "__main__":
    main()
