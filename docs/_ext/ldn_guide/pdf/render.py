"""Lay out printable HTML with WeasyPrint and write it as a tagged PDF (PDF/UA-1).

:func:`render` writes one document. On a machine with two cores or more, a whole guide of some
length is laid out in parts at once and joined (:func:`render_on_two_cores`; ``parts.py`` and
``merge.py`` say how): a forked copy of the process (:func:`in_a_fork`) lays out one part while
this one lays out another. The parts' PDFs are kept beside the printable HTML.

WeasyPrint is imported where it is first used, not here: the worker imports it when it has
lowered its priority and stopped the cycle collector, and the Sphinx process, which reads only
:data:`HARFBUZZ_HELP` from this module, never imports it.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
from importlib import resources
from pathlib import Path

from .printable import PdfJob, edition_line

# The Debian packages are declared in pyproject.toml ([tool.ldn-guide.system-packages]); the
# README's commands install them. These say what to do when a build runs without them.
PANGO_HELP = ("WeasyPrint needs the Pango library to write the PDFs. Install it with: "
              "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core")
HARFBUZZ_HELP = ("the HarfBuzz subsetting library is missing, so WeasyPrint falls back to "
                 "fontTools (slower, and unsupported in later releases). Install it with: "
                 "apt-get install -y libharfbuzz-subset0")


def render(html: str, base_url: str, pdf_path: str, size: str) -> list[str]:
    """Write one tagged PDF; return what WeasyPrint logged as warnings or errors."""
    return lay_out(html, base_url, pdf_path, size).problems


@dataclasses.dataclass
class LaidOut:
    """What laying out one document gave: its problems, page count and anchors' pages."""

    problems: list[str]
    pages: int = 0
    anchors: dict[str, int] = dataclasses.field(default_factory=dict)  # id: page index


def lay_out(html: str, base_url: str, pdf_path: str | None, size: str,
            css: str = "", part: bool = False) -> LaidOut:
    """Lay out one document and write it as a tagged PDF (``css``: a stylesheet after
    print.css; ``pdf_path`` None: write nothing, only lay it out).

    A ``part`` of the whole guide is written with its streams uncompressed: merge.py's save
    (qpdf) compresses the joined PDF's streams anyway, and leaving zlib and its bookkeeping
    out of WeasyPrint's writer saves a quarter of the part's writing time."""
    try:
        import weasyprint
    except OSError as error:  # Pango missing: cffi cannot load the shared library
        return LaidOut([f"{PANGO_HELP} ({error})"])
    laid_out = LaidOut([])
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = lambda record: laid_out.problems.append(record.getMessage())
    weasyprint.LOGGER.addHandler(handler)
    fetcher = local_files_only()
    stylesheets = [print_stylesheet(),
                   weasyprint.CSS(string=f"@page {{ size: {size}; }}{css}", url_fetcher=fetcher)]
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=stylesheets, pdf_variant="pdf/ua-1")
        document.write_pdf(pdf_path, pdf_variant="pdf/ua-1", uncompressed_pdf=part)
        laid_out.pages = len(document.pages)
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                laid_out.anchors.setdefault(anchor, index)
    except weasyprint.urls.FatalURLFetchingError as error:  # a BaseException, so caught here
        laid_out.problems.append(f"{error} ({error.__cause__}): an image or file the page "
                                 "names is missing; fix its path in the page")
    finally:
        weasyprint.LOGGER.removeHandler(handler)
    # One clear line instead of one warning per font.
    if any("HarfBuzz-Subset" in problem for problem in laid_out.problems):
        laid_out.problems = [p for p in laid_out.problems if "HarfBuzz-Subset" not in p]
        laid_out.problems.append(HARFBUZZ_HELP)
    return laid_out


@functools.cache
def local_files_only():
    """The URL fetcher of every document and stylesheet: files and data URLs only, and a
    missing one is an error. One per process: each new fetcher loads the system's TLS
    certificates (a sixth of a second), though it never fetches from the web."""
    import weasyprint

    return weasyprint.URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


@functools.cache
def print_stylesheet():
    """print.css, parsed once per process."""
    import weasyprint

    # Package data, found through the package (importlib.resources), not through this
    # module's own file: a plain file on disk wherever ldn_guide is imported from.
    stylesheet = resources.files(__package__) / "print.css"
    return weasyprint.CSS(filename=str(stylesheet), url_fetcher=local_files_only())


# The cover and the printed contents have taken one page so far. The contents' page numbers
# are written in on that guess, so the front is laid out once; when it takes more pages, the
# numbers move and it is laid out again with the count it took.
FRONT_PAGES_GUESS = 1
FRONT_LAYOUTS_AT_MOST = 3


def render_on_two_cores(document, job: PdfJob) -> list[str]:
    """The whole guide's PDF from parts laid out at once, one on each core (parts.py), then
    joined (merge.py). A forked copy of this process lays out the second half while this one
    lays out the first; then a second copy lays out the running footers while this one lays
    out the numbered front matter and joins the parts."""
    from . import merge, parts  # merge imports pikepdf: only when a guide is joined

    split = parts.split_guide(document)
    base_url, size = job.source_dir + os.sep, job.page_size
    if split is None:  # a guide of one page (a test project): nothing to share
        return render(str(document), base_url, job.pdf_path, size)
    stem = Path(job.html_path).with_suffix("")
    front_pdf, first_pdf, second_pdf, footers_pdf = (
        str(Path(f"{stem}.{name}.pdf")) for name in ("front", "half-1", "half-2", "footers"))
    second_half = in_a_fork(lambda: lay_out(parts.half_html(split, 1), base_url, second_pdf,
                                            size, parts.HALF, part=True))
    first = lay_out(parts.half_html(split, 0), base_url, first_pdf, size, parts.HALF,
                    part=True)
    second = second_half()
    problems = first.problems + second.problems
    if problems or not (first.pages and second.pages):
        return problems
    front_html = parts.front_html(split)
    front_pages = FRONT_PAGES_GUESS
    for _ in range(FRONT_LAYOUTS_AT_MOST):
        total = front_pages + first.pages + second.pages
        footers = in_a_fork(lambda: lay_out(
            parts.footers_html(total, job.language), base_url, footers_pdf, size,  # noqa: B023
            parts.footer_css(edition_line(job), bool(job.draft)), part=True))
        offsets = ((first, front_pages), (second, front_pages + first.pages))
        numbers = {target: offset + half.anchors[target] + 1
                   for target in split.contents_targets
                   for half, offset in offsets if target in half.anchors}
        front = lay_out(parts.numbered_front(front_html, numbers), base_url, front_pdf, size,
                        parts.WITHOUT_FOOTER, part=True)
        if front.problems or front.pages == front_pages:
            break
        footers()  # laid out for the wrong page count: wait for it, then lay out again
        front_pages = front.pages
    else:
        return [f"the printed contents took {front.pages} pages, then another count with its "
                "page numbers written in: shorten its longest title"]
    if front.problems or not front.pages:
        return front.problems + footers().problems
    with merge.joined([Path(front_pdf), Path(first_pdf), Path(second_pdf)],
                      parts.ACROSS) as merged:  # while the footers are laid out
        problems = footers().problems
        if not problems:
            merge.save_with_footers(merged, Path(footers_pdf), Path(job.pdf_path))
    return problems


def in_a_fork(lay_out_part):
    """Run ``lay_out_part`` (which returns a :class:`LaidOut`) in a forked copy of this
    process; return a function that waits for it and gives its result."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reading)
        try:
            result = lay_out_part()
        except BaseException as error:  # noqa: BLE001  (the parent reports it as a warning)
            result = LaidOut([f"a part of the guide could not be laid out: {error!r}"])
        with os.fdopen(writing, "w") as pipe:
            json.dump(dataclasses.asdict(result), pipe)
        os._exit(0)
    os.close(writing)

    def result() -> LaidOut:
        with os.fdopen(reading) as pipe:
            answer = pipe.read()
        os.waitpid(child, 0)
        if not answer:
            return LaidOut(["a part of the guide's process stopped without an answer"])
        return LaidOut(**json.loads(answer))

    return result
