"""Write the three PDFs that staff hand out, during the HTML build (``-D pdf_guides=1``).

``nox -s docs`` turns this on; a plain ``sphinx-build -b html`` (and ``nox -s preview``) does
not. The PDFs go next to the HTML guide (``pdf_output_dir``, default ``pdf/``):

* ``ldn-provider-guide.pdf``: the whole guide, with a printed table of contents;
* ``ldn-quick-reference.pdf``: the quick-reference page;
* ``ldn-patient-handout.pdf``: the patient handout.

The sources are read once. As soon as they are, Sphinx's own singlehtml builder turns the
same environment into the whole guide as one HTML fragment; worker processes
(``python -m ldn_guide.pdf.worker``) make the printable HTML and the tagged PDFs from it while
the HTML pages are written. The printable HTML is kept beside the doctrees (``pdf-input/``),
to see what WeasyPrint was given. Everything WeasyPrint complains about (a missing anchor,
say) becomes a warning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

import ldn_guide

from ..conventions import CARD_PDF, PDF_BUILDERS, PDFS, WEB_ONLY_PAGES
from ..report import Subtype, warn
from .html import draft_notice

# The printable HTML is build material, not part of the site: it goes with the doctrees.
PDF_INPUT = "pdf-input"
# The worker, run as a module of this package (pdf/worker.py). Its printable.py and render.py
# are imported (with BeautifulSoup) here too, for PdfJob and HARFBUZZ_HELP, but only by builds
# that make PDFs.
WORKER = "ldn_guide.pdf.worker"
SINGLE_PAGE_BODY = "single-page-body.html"
# The worker processes of each build (several builds share one process in the tests).
WORKERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# The forked copy of the build that makes the single page (dispatch_pdfs), by build.
SINGLE_PAGE_TASKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class SinglePageBody(SingleFileHTMLBuilder):
    """Sphinx's singlehtml builder, run on the HTML build's environment: it keeps the whole
    guide's body as one HTML fragment instead of writing a page with the HTML theme."""

    search = False  # the HTML builder indexes the pages

    def get_theme_config(self):
        return "basic", {}  # a body needs no theme; Sphinx's basic theme loads no extension

    def handle_page(self, pagename, context, *args, **kwargs) -> None:
        self.body = context["body"]


def start_workers(app: Sphinx) -> None:
    """Start the PDF workers early: they import WeasyPrint while Sphinx reads the sources.

    Plain child processes (``python -m ldn_guide.pdf.worker``), not multiprocessing: Sphinx
    forks its parallel readers and writers, and a fresh interpreter that imports only
    WeasyPrint shares nothing with them and starts fastest.
    """
    WORKERS[app] = []
    if not app.config.pdf_guides or app.builder.name not in PDF_BUILDERS:
        return
    roles = ["guide", "short"] if (os.cpu_count() or 1) > 1 else ["guide"]
    env = worker_env()
    for role in roles:
        WORKERS[app].append(subprocess.Popen([sys.executable, "-m", WORKER, role], env=env,
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE))


def worker_env() -> dict[str, str]:
    """This process's environment, with the folder that holds the ldn_guide package Sphinx
    imported (docs/_ext) first on the worker's PYTHONPATH."""
    home = str(Path(ldn_guide.__file__).resolve().parents[1])
    inherited = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": f"{home}{os.pathsep}{inherited}" if inherited else home}


def dispatch_pdfs(app: Sphinx, env) -> None:
    """As soon as the sources are read: the single page, then a job list to each worker.

    Connected late to env-updated, after sphinxcontrib-bibtex has formatted the references,
    and before Sphinx saves the environment and writes the HTML pages. With two workers (two
    cores), the single page (about a second of one core, when the other had nothing to do) is
    made in a forked copy of this process while this one writes the HTML pages: Sphinx's own
    ParallelTasks, as its parallel writers use it, which hands the copy's warnings back here
    (:func:`collect_pdfs` waits for it). A copy shares nothing it changes with this process.
    """
    workers = WORKERS.get(app)
    if not workers:
        return
    from sphinx.util.parallel import ParallelTasks, parallel_available

    if len(workers) < 2 or not parallel_available:
        send_jobs(app, workers)
        return
    # Sphinx internal: ParallelTasks (sphinx.util.parallel) is what Sphinx's -j builders
    # fork with; tests/test_internals.py checks the part of it used here.
    tasks = ParallelTasks(1)
    tasks.add_task(send_jobs_in_fork, app, report_fork)
    for worker in workers:  # the copy holds the workers' stdin now; it closes them when done
        worker.stdin.close()
    SINGLE_PAGE_TASKS[app] = tasks


def send_jobs_in_fork(app: Sphinx) -> str | None:
    """In the forked copy: :func:`send_jobs`; what went wrong, if anything, as text (a
    traceback from here would stop the build without saying which step failed)."""
    try:
        send_jobs(app, WORKERS[app])
    except Exception as error:  # noqa: BLE001  (reported by report_fork, in the build)
        return f"{type(error).__name__}: {error}"
    return None


def report_fork(app: Sphinx, problem: str | None) -> None:
    if problem:
        warn(f"the PDFs' single page could not be made: {problem}", Subtype.PDF)


def send_jobs(app: Sphinx, workers: list[subprocess.Popen]) -> None:
    """The single page, written beside the doctrees, and each worker's share of the jobs."""
    body = single_page_body(app)
    inputs = Path(app.doctreedir) / PDF_INPUT
    inputs.mkdir(parents=True, exist_ok=True)
    (inputs / SINGLE_PAGE_BODY).write_text(body, encoding="utf-8")
    jobs = pdf_jobs(app, body, inputs)
    shares = [jobs[:1], jobs[1:]] if len(workers) > 1 else [jobs]
    for worker, share in zip(workers, shares, strict=True):
        message = {"single_page_body": str(inputs / SINGLE_PAGE_BODY),
                   "jobs": [dataclasses.asdict(job) for job in share]}
        try:
            worker.stdin.write(json.dumps(message).encode())
            worker.stdin.close()
        except BrokenPipeError:  # it died starting up; collect_pdfs reports it
            pass


def single_page_body(app: Sphinx) -> str:
    single = SinglePageBody(app, app.env)
    single.init()
    single.prepare_writing(set())
    html_builder = app.builder
    # Cross-references are resolved by whichever builder app.builder is; for the single page
    # they must point inside it ("#document-...").
    app.builder = single
    try:
        with bibliographies_left_as_they_were(app.env):
            doctree = single.assemble_doctree()
            leave_out_web_only(doctree)
            single.write_doc(app.config.root_doc, doctree)
    finally:
        app.builder = html_builder
    return single.body


def leave_out_web_only(doctree) -> None:
    """The web-only pages (the review logs: a quarter of a megabyte of tables) are not written
    into the single page at all; pdf/printable.py then drops their lines in the contents."""
    from sphinx import addnodes

    for start in list(doctree.findall(addnodes.start_of_file)):
        if start["docname"] in WEB_ONLY_PAGES:
            start.parent.remove(start)


@contextlib.contextmanager
def bibliographies_left_as_they_were(env):
    """Run the single page on copies of sphinxcontrib-bibtex's citation nodes.

    sphinxcontrib-bibtex 2.7.0 (with Sphinx 9.2): its BibliographyTransform, a post-transform
    that runs whenever a doctree is resolved, appends a label and a paragraph to the citation
    nodes it keeps in the environment (``domain.bibliographies[...].citation_nodes``) instead
    of to copies. Resolving the single page before the HTML pages therefore left every entry
    filled once already, and references.html showed each reference twice (issue 17). The
    single page gets deep copies; the HTML pages (and the saved environment) keep the
    originals, untouched.
    """
    domain = env.get_domain("cite")
    originals = domain.data["bibliographies"]
    domain.data["bibliographies"] = {
        key: value._replace(citation_nodes={
            cite: node.deepcopy() for cite, node in value.citation_nodes.items()})
        for key, value in originals.items()
    }
    try:
        yield
    finally:
        domain.data["bibliographies"] = originals


def pdf_jobs(app: Sphinx, body: str, inputs: Path) -> list:
    from ..pdf.printable import PdfJob

    target = (Path(app.outdir) / app.config.pdf_output_dir).resolve()
    target.mkdir(parents=True, exist_ok=True)
    jobs = []
    for pdf in PDFS:
        name, subtitle, docname = pdf.name, pdf.title, pdf.docname
        if docname is not None and f'id="document-{docname}"' not in body:
            warn(f"{name}.pdf needs the page docs/{docname}.md in a toctree", Subtype.PDF)
            continue
        metadata = app.env.metadata.get(docname or app.config.root_doc, {})
        jobs.append(PdfJob(
            name=name, subtitle=subtitle, docname=docname,
            html_path=str(inputs / f"{name}.html"), source_dir=str(app.srcdir),
            pdf_path=str(target / f"{name}.pdf"),
            page_size=app.config.pdf_page_size,
            project=pdf.cover.title or app.config.project, release=app.config.release,
            author=app.config.author, disclaimer_class=pdf.cover.disclaimer_class,
            disclaimer_title=pdf.cover.disclaimer_title,
            audience=pdf.audience, publisher=app.config.guide_publisher,
            guide_url=app.config.html_baseurl, draft=draft_notice(app.config),
            # The short prescriber PDFs cite by number; the whole guide as the pages do.
            numbered_citations=docname is not None and pdf.audience == "Clinician",
            card=name == CARD_PDF,
            web_only=WEB_ONLY_PAGES if docname is None else (),
            language=app.config.language,
            last_reviewed=str(metadata.get("last_reviewed", "not stated")),
            next_review=str(metadata.get("next_review", "not stated")),
        ))
    return jobs


def collect_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the PDFs; report what WeasyPrint complained about as warnings."""
    workers = WORKERS.pop(app, [])
    tasks = SINGLE_PAGE_TASKS.pop(app, None)
    if tasks is not None:
        tasks.join()  # the copy's warnings are given here; then it has sent the jobs
    if exception:
        for worker in workers:
            worker.kill()
        for worker in workers:
            finish(worker)
        return
    from ..pdf.render import HARFBUZZ_HELP

    said: set[str] = set()
    for worker in workers:
        answer = finish(worker)
        try:
            answers = json.loads(answer)
        except json.JSONDecodeError:
            warn(f"a PDF worker stopped (exit code {worker.returncode}) without writing its "
                 "PDFs; its error is printed above", Subtype.PDF)
            continue
        for name, problems in answers.items():
            for problem in problems:
                if problem == HARFBUZZ_HELP:  # one line for all PDFs, not one each
                    if problem not in said:
                        said.add(problem)
                        warn(f"PDFs: {problem}", Subtype.PDF)
                    continue
                warn(f"{name}.pdf: {problem}", Subtype.PDF)


def finish(worker: subprocess.Popen) -> bytes:
    """What the worker wrote on stdout, once it has exited."""
    if not worker.stdin.closed:
        worker.stdin.close()
    answer = worker.stdout.read()
    worker.stdout.close()
    worker.wait()
    return answer


def offer_pdfs_in_sidebar(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """docs/_templates/sidebar/pdf-downloads.html lists the PDFs this build writes."""
    if app.config.pdf_guides:
        folder = app.config.pdf_output_dir.strip("/")
        context["pdf_downloads"] = [(pdf.title, f"{folder}/{pdf.name}.pdf") for pdf in PDFS]
