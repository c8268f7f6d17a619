"""The PDF worker process: ``python -m ldn_guide.pdf.worker ROLE``.

The PDF step (``ldn_guide/adapters/pdf.py``) starts two of these while Sphinx reads the
sources, with the folder that holds the ``ldn_guide`` package on ``PYTHONPATH``. A worker
imports no Sphinx (``ldn_guide/__init__.py`` imports Sphinx only inside ``setup()``): it
imports WeasyPrint at once, lays out a small document to warm up, then reads one JSON message
on stdin: the path of the single-page HTML body and a list of jobs (:class:`PdfJob` fields).
It answers on stdout with the problems found in each PDF (what WeasyPrint logged; in the whole
guide, a link that leads nowhere), which pdf_guides turns into Sphinx warnings.

Each job's printable HTML comes from ``printable.py``; ``render.py`` lays it out, the whole
guide in two halves at once on a machine with two cores or more.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from pathlib import Path

from ..conventions import DISCLAIMER_CLASS
from .printable import PdfJob, printable_document, printable_html
from .render import lay_out, render, render_on_two_cores

# Laying the whole guide out in two halves at once costs about two seconds of its own (the
# front matter twice, the footers, the join): worth it from about this much printable HTML
# (some 20 pages; the guide's is nearly 500,000 characters), not for a small test project.
TWO_CORES_FROM = 100_000


def make_pdf(job: PdfJob, single_page_body: str, cores: int = 1) -> list[str]:
    """Write the job's printable HTML and PDF; return the problems found on the way."""
    document, problems = printable_document(job, single_page_body)
    html = str(document)
    Path(job.html_path).write_text(html, encoding="utf-8")
    if job.docname is None and cores > 1 and len(html) > TWO_CORES_FROM:
        return problems + render_on_two_cores(document, job)
    return problems + render(html, job.source_dir + os.sep, job.pdf_path, job.page_size)


def serve(role: str) -> None:
    """The worker: jobs in (JSON on stdin), problems per PDF out (JSON on stdout).

    The "guide" worker lays out the whole guide, the longest job of the build. The "short"
    worker makes the short PDFs at low priority, so the CPU goes to the guide and to Sphinx.
    """
    if role == "short":
        os.nice(19)
    # A worker makes at most three PDFs, then exits: reference counting frees nearly all it
    # allocates, and the cycle collector's passes over WeasyPrint's many small objects cost
    # a tenth of the render time (and save a few MB).
    gc.disable()
    warm_up()
    request = sys.stdin.read()
    if not request:  # the build stopped before the sources were read
        return
    message = json.loads(request)
    body = Path(message["single_page_body"]).read_text(encoding="utf-8")
    answers = {}
    for job in (PdfJob(**fields) for fields in message["jobs"]):
        try:
            answers[job.name] = make_pdf(job, body, cores=len(os.sched_getaffinity(0)))
        except Exception as error:  # a warning in the build log, which then fails
            answers[job.name] = [f"could not be written: {type(error).__name__}: {error}"]
    json.dump(answers, sys.stdout)
    sys.stdout.flush()
    os._exit(0)  # skip tearing down WeasyPrint's objects: the build is waiting for this exit


def warm_up() -> None:
    """While Sphinx reads the sources: import WeasyPrint, compile the parser's and selectors'
    patterns, and lay out a small document once, so the fonts, Pango and HarfBuzz are loaded
    before the real jobs (and before the guide's parts fork: they start warm)."""
    with contextlib.suppress(OSError):  # no Pango: render() reports it, with the fix
        import weasyprint  # noqa: F401
    html, _ = printable_html(WARM_UP, WARM_UP_BODY)
    lay_out(html, ".", None, "A4")


WARM_UP = PdfJob(name="warm-up", subtitle="Warm-up", docname=None, html_path="", source_dir="",
                 pdf_path="", page_size="A4", project="", release="", author="",
                 language="en", last_reviewed="", next_review="",
                 disclaimer_class=DISCLAIMER_CLASS, disclaimer_title="")
WARM_UP_BODY = (f'<section><h1>Guide</h1><div class="{DISCLAIMER_CLASS}"><p>Text.</p></div>'
                '</section>'
                '<span id="document-page"></span><section id="page"><h1>Page</h1>'
                '<p><a class="headerlink" href="#page">#</a><a href="#document-page">x</a></p>'
                '<figure><svg><title>t</title></svg></figure></section>')


if __name__ == "__main__":
    serve(sys.argv[1])
