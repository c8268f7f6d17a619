"""Turn the guide's single-page HTML into one printable HTML document and its PDF.

The PDF step (``ldn_guide/adapters/pdf.py``) runs this file as a worker process
(``python worker.py``), so it imports nothing from Sphinx or from the rest of the package: what
it needs to know (the disclaimer's marker class, say) comes in the job. The worker imports
WeasyPrint at once, then reads one JSON message
on stdin: the path of the single-page HTML body and a list of jobs (:class:`PdfJob` fields).
It answers on stdout with the problems found in each PDF (what WeasyPrint logged; in the whole
guide, a link that leads nowhere), which pdf_guides turns into Sphinx warnings.

The printable HTML gets a cover block (title, edition, review dates and the disclaimer for
the PDF's readers, found by its marker class), a printed table of contents (whole guide
only), and keeps only links whose target
is inside it. The patient handout loses its author-year citations and reference list (a short
"Where this information comes from" list instead) and gets its wallet card (marker class
``wallet-card``) on a strip of its own at the end; the quick reference cites by number. A
draft build (no contact or web address in docs/conf.py) says so on the cover and every page.
The printable HTML is saved (``html_path``) to show what WeasyPrint was given.

On a machine with two cores or more, a whole guide of some length is laid out in parts at
once and joined (:func:`render_on_two_cores`; ``parts.py`` and ``merge.py`` say how); the
parts' PDFs are kept beside the printable HTML.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import json
import logging
import os
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

STYLESHEET = Path(__file__).with_name("print.css")
# About a page of table text at the PDFs' table type size (7.5 pt): shorter tables stay whole.
KEEP_TOGETHER_CHARACTERS = 2500
HEADING = re.compile(r"^h[1-6]$")
# Laying the whole guide out in two halves at once costs about two seconds of its own (the
# front matter twice, the footers, the join): worth it from about this much printable HTML
# (some 20 pages; the guide's is nearly 500,000 characters), not for a small test project.
TWO_CORES_FROM = 100_000
# The Debian packages are declared in pyproject.toml ([tool.ldn-guide.system-packages]); the
# README's commands install them. These say what to do when a build runs without them.
PANGO_HELP = ("WeasyPrint needs the Pango library to write the PDFs. Install it with: "
              "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core")
HARFBUZZ_HELP = ("the HarfBuzz subsetting library is missing, so WeasyPrint falls back to "
                 "fontTools (slower, and unsupported in later releases). Install it with: "
                 "apt-get install -y libharfbuzz-subset0")


@dataclasses.dataclass(frozen=True)
class PdfJob:
    """One PDF: what to take from the single page, and where to write the HTML and the PDF."""

    name: str  # file name without suffix, e.g. "ldn-provider-guide"
    subtitle: str  # e.g. "Provider guide"
    docname: str | None  # the page it holds; None = the whole guide
    html_path: str  # the printable HTML, kept to show what WeasyPrint was given
    source_dir: str  # images are read from the sources (the HTML build copies them later)
    pdf_path: str
    page_size: str  # a CSS page size: "A4" or "letter"
    project: str  # the title on the cover
    release: str
    author: str
    language: str
    last_reviewed: str
    next_review: str
    disclaimer_class: str  # the marker class of the disclaimer block this PDF's cover prints
    disclaimer_title: str  # its heading on the cover
    audience: str = "Clinician"  # "Patient": no inline citations, a short list of sources
    publisher: str = ""
    guide_url: str = ""  # where the HTML guide is published ("" for a local build)
    draft: str = ""  # why this build is a draft ("" when it is not): printed on the cover
    numbered_citations: bool = False  # short PDFs: [1] instead of author-year, a numbered list
    card: bool = False  # the quick-reference card: "Before you supply" first (pdf/card.py)
    web_only: tuple[str, ...] = ()  # pages the whole-guide PDF leaves out (published on the web)


def make_pdf(job: PdfJob, single_page_body: str, cores: int = 1) -> list[str]:
    """Write the job's printable HTML and PDF; return the problems found on the way."""
    document, problems = printable_document(job, single_page_body)
    html = str(document)
    Path(job.html_path).write_text(html, encoding="utf-8")
    if job.docname is None and cores > 1 and len(html) > TWO_CORES_FROM:
        return problems + render_on_two_cores(document, job)
    return problems + render(html, job.source_dir + os.sep, job.pdf_path, job.page_size)


def printable_html(job: PdfJob, single_page_body: str) -> tuple[str, list[str]]:
    """A standalone HTML document for one PDF (cover, optional contents, content, references),
    and the links in it that lead nowhere."""
    document, problems = printable_document(job, single_page_body)
    return str(document), problems


def printable_document(job: PdfJob, single_page_body: str):
    """:func:`printable_html` as a BeautifulSoup document."""
    body = cleaned_body(single_page_body)
    disclaimer = disclaimer_html(body, job.disclaimer_class)
    if job.docname is not None:
        content = one_page_with_its_references(body, job.docname)
        if job.audience == "Patient":
            for_patients(content, job)
        elif job.numbered_citations:
            number_citations(content)
    else:
        content = body
        content.find("h1").decompose()  # the cover carries the title
        leave_out(content, job.web_only)
        chapters_after_front_matter(content)
    for block in content.select(f".{job.disclaimer_class}"):  # the cover prints it: not twice
        section = block.find_parent("section")
        block.decompose()
        if section and not section.find(["p", "ul", "ol", "table", "div"]):
            section.decompose()  # only its heading was left
    contents = contents_html(content) if job.docname is None else ""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = f"{job.project}: {job.subtitle.lower()} ({job.release} edition)"
    classes = re.sub(r"\W+", "-", job.subtitle.lower())
    document = BeautifulSoup(
        f'<!DOCTYPE html><html lang="{job.language}"><head><meta charset="utf-8">'
        f"<title>{title}</title><meta name=\"author\" content=\"{job.author}\">"
        f'<meta name="description" content="{job.subtitle} of {job.project}">'
        f'<meta name="dcterms.created" content="{stamp}">'
        f'<meta name="dcterms.modified" content="{stamp}"></head>'
        f'<body class="pdf-{classes}">{cover_html(job, disclaimer)}{contents}<main></main>'
        "</body></html>",
        "html.parser",
    )
    document.main.append(content)
    if job.card:
        card_module().make_card(document, job)
    # A link to a page leads to its chapter's first page, not to its marker (an empty span at
    # the foot of the page before).
    chapters = {f"#{marker['id']}": f"#{section['id']}"
                for marker in document.select('span[id^="document-"]')
                if (section := marker.find_next_sibling("section")) and section.get("id")}
    for link in document.select('a[href^="#document-"]'):
        link["href"] = chapters.get(link["href"], link["href"])
    ids = {tag["id"] for tag in document.select("[id]")}
    problems = []
    for link in document.select("a[href]"):
        href = link["href"]
        if href.startswith(("https://", "http://", "mailto:")) or href[1:] in ids:
            continue
        if job.docname is None and href.startswith("#"):  # the whole guide holds every page
            problems.append(f"the link to {href} ('{link.get_text()}') has no target")
        link.unwrap()  # a page or file this PDF does not hold: keep the words only
    return document, problems


def card_module():
    """pdf/card.py, as a module of the package or beside this script (the worker process)."""
    try:
        from . import card
    except ImportError:
        import card
    return card


# A citation link's title is the reference in full, a tooltip on screen: on paper nothing shows
# it (WeasyPrint reads title only for form fields), and it is two fifths of the guide's HTML.
LINK_TITLE = re.compile(r'(<a\b[^>]*?) title="[^"]*"')


def cleaned_body(single_page_body: str):
    """The single page's body, cleaned up for print."""
    single_page_body = LINK_TITLE.sub(r"\1", single_page_body)
    page = BeautifulSoup(f'<div class="body">{single_page_body}</div>', "html.parser")
    body = page.div
    for anchor in body.select("a.headerlink"):
        anchor.decompose()
    seen: set[str] = set()
    for tagged in body.select("[id]"):  # pages merged into one reuse ids like "id1"
        while tagged["id"] in seen:
            tagged["id"] += "-again"
        seen.add(tagged["id"])
    for caption in body.select("caption.guide-auto-caption"):
        caption.decompose()  # the heading above the table is printed with it
    for wrapper in body.select("div.table-wrapper"):
        for name in ("role", "tabindex", "aria-label"):  # nothing scrolls on paper
            wrapper.attrs.pop(name, None)
        # A table short enough for one page is kept whole, with its heading (print.css); a
        # longer one breaks between rows, so its heading never stands alone on a page.
        if len(wrapper.get_text()) < KEEP_TOGETHER_CHARACTERS:
            wrapper["class"] = [*wrapper.get("class", []), "keep-together"]
    for svg in body.select("figure svg"):
        # As an image, the figure gets its title as PDF alt text, and WeasyPrint's HTML
        # stylesheet parser does not see (and warn about) SVG's style attributes.
        data = base64.b64encode(str(svg).encode()).decode()
        alt = svg.title.get_text() if svg.title else ""
        svg.replace_with(page.new_tag("img", src=f"data:image/svg+xml;base64,{data}", alt=alt))
    for link in body.select('a[href^="#document-"]'):
        # singlehtml writes "#document-references#cite-x" (sphinx-doc/sphinx#14221).
        link["href"] = "#" + link["href"].split("#")[-1]
    return body


def one_page_with_its_references(body, docname: str):
    """One page of the guide, followed by the reference entries it cites."""
    start = body.find(id=f"document-{docname}")
    section = start.find_next_sibling("section")
    cited = {a["href"][1:] for a in section.select('a[href^="#cite-"]')}
    references = body.find(id="document-references").find_next_sibling("section")
    for entry in references.select("div.citation"):
        if entry.get("id") not in cited:
            entry.decompose()
    for paragraph in references.find_all("p", recursive=False):
        paragraph.decompose()
    content = BeautifulSoup("<div></div>", "html.parser").div
    content.extend([start.extract(), section.extract(), references.extract()])
    return content


# The class of the handout's wallet card (a marked block on the handout page).
WALLET_CARD_CLASS = "wallet-card"


def for_patients(content, job: PdfJob) -> None:
    """The handout as the patient's leaflet: no author-year citations in the text, a short
    "Where this information comes from" list instead of the reference list, and the wallet
    card on a strip of its own at the end, to cut out."""
    for citation in content.select("span.bibtex-citation"):
        drop_citation(citation)
    references = content.find("section", id="references")
    if references is not None:
        references.replace_with(BeautifulSoup(sources_html(job), "html.parser"))
    card = content.select_one(f".{WALLET_CARD_CLASS}")
    if card is not None:
        card.extract()
        for title in card.select(".admonition-title"):
            title.decompose()
        card["class"] = [WALLET_CARD_CLASS]
        strip = BeautifulSoup(
            '<section class="wallet-card-strip" aria-label="Wallet card">'
            '<p class="wallet-card-cut">\u2702 Cut out along the dashed line and keep the card '
            "with you.</p></section>", "html.parser")
        strip.section.append(card)
        content.append(strip)


def drop_citation(citation) -> None:
    """Remove an inline citation with the space before it and any flag after it."""
    after = citation.next_sibling
    if getattr(after, "get", None) and "citation-flag" in after.get("class", []):
        after.decompose()
    before = citation.previous_sibling
    if isinstance(before, str):
        before.replace_with(before.rstrip())
    citation.decompose()


def sources_html(job: PdfJob) -> str:
    where = f" at {job.guide_url}" if job.guide_url else ""
    return (
        '<section id="where-this-information-comes-from" class="sources">'
        "<h2>Where this information comes from</h2><ul>"
        "<li>The official information for naltrexone 50 mg tablets in the UK, the EU and "
        "the US.</li>"
        "<li>Safety notices from the US Food and Drug Administration, and NICE guidance.</li>"
        "<li>Research studies and reviews of LDN.</li></ul>"
        f"<p>Each source is listed in the guide for prescribers{where} (edition {job.release}, "
        "in its References). Ask your pharmacist or prescriber if you would like to see it.</p>"
        "</section>"
    )


def number_citations(content) -> None:
    """Short PDFs cite by number: "[1, 4]" instead of author-year, and the reference list is
    numbered in the order of first citation (the author-year citations took a quarter of the
    quick reference's words)."""
    numbers: dict[str, int] = {}
    for citation in content.select("span.bibtex-citation"):
        links = citation.select('a[href^="#cite-"]')
        if not links:
            continue
        keys = [link["href"][1:] for link in links]
        for key in keys:
            numbers.setdefault(key, len(numbers) + 1)
        new = BeautifulSoup("", "html.parser")
        marker = new.new_tag("span", attrs={"class": "cite-numbers"})
        marker.append("[")
        for index, key in enumerate(keys):
            if index:
                marker.append(", ")
            link = new.new_tag("a", href=f"#{key}")
            link.string = str(numbers[key])
            marker.append(link)
        marker.append("]")
        # a retraction flag after the citation ("[Retracted]") stays where it is
        citation.replace_with(marker)
    references = content.find("section", id="references")
    entries = references.select("div.citation") if references is not None else []
    if not entries:
        return
    holder = entries[0].parent
    for entry in entries:
        entry.extract()
    for entry in sorted(entries, key=lambda e: numbers.get(e.get("id"), len(numbers) + 1)):
        label = entry.find("span", class_="label")
        if label is not None and entry.get("id") in numbers:
            label.string = f"{numbers[entry['id']]}."
        holder.append(entry)


def leave_out(content, docnames) -> None:
    """Drop pages published on the web only (the review log: an audit record, long to lay
    out, of no use at the desk) and the toctree entries that point to them."""
    for docname in docnames:
        start = content.find(id=f"document-{docname}")
        if start is None:
            continue
        section = start.find_next_sibling("section")
        if section is not None:
            section.decompose()
        start.decompose()
        for link in content.select(f'a[href="#document-{docname}"]'):
            item = link.find_parent("li")
            if item is not None and item.find_parent(class_="toctree-wrapper"):
                item.decompose()  # its line in the contents
            else:
                link.unwrap()  # a mention in the prose: keep the words


def chapters_after_front_matter(content) -> None:
    """Move the inlined chapters out of whichever index section holds the toctrees, so each
    chapter is a top-level section with an h2 title (for the outline and running header)."""
    for wrapper in content.select("div.toctree-wrapper"):
        for caption in wrapper.select("p.caption"):
            caption.decompose()
        content.append(wrapper.extract())
    for start in content.select('span[id^="document-"]'):
        section = start.find_next_sibling("section")
        headings = section.find_all(HEADING) if section else []
        shift = int(headings[0].name[1]) - 2 if headings else 0
        for heading in headings:
            heading.name = f"h{min(6, max(2, int(heading.name[1]) - shift))}"


def disclaimer_html(body, marker: str) -> str:
    """The paragraphs of the block marked with the disclaimer class (never found by its
    heading's wording, so renaming the heading cannot drop it)."""
    block = body.select_one(f".{marker}")
    return "".join(str(p) for p in block.find_all("p")) if block else ""


def cover_html(job: PdfJob, paragraphs: str) -> str:
    published = f"Published by {job.publisher}. " if job.publisher else ""
    online = f"Online: {job.guide_url}" if job.guide_url else ""
    draft = (f'<p class="draft-banner"><strong>Draft edition.</strong> {job.draft}</p>'
             if job.draft else "")
    return (
        f'<header class="cover"><p class="cover-kicker">{job.subtitle}</p>'
        f"<h1>{job.project}</h1>{draft}"
        f'<p class="cover-edition">{edition_line(job)}</p>'
        f'<p class="cover-publisher">{published}{online}</p>'
        f'<section class="cover-disclaimer"><h2>{job.disclaimer_title}</h2>{paragraphs}</section>'
        "</header>"
    )


def edition_line(job: PdfJob) -> str:
    """The cover's edition line, repeated in every page's footer."""
    return (f"Edition {job.release}. Last reviewed: {job.last_reviewed}. "
            f"Next review due: {job.next_review}.")


def contents_html(content) -> str:
    items = []
    for start in content.select('span[id^="document-"]'):
        section = start.find_next_sibling("section")
        heading = section.find("h2") if section else None
        if heading and section.get("id"):
            items.append(f'<li><a href="#{section["id"]}">{heading.get_text()}</a></li>')
    return ('<nav class="print-toc" aria-label="Contents"><h2>Contents</h2>'
            f'<ol>{"".join(items)}</ol></nav>')


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
            css: str = "") -> LaidOut:
    """Lay out one document and write it as a tagged PDF (``css``: a stylesheet after
    print.css; ``pdf_path`` None: write nothing, only lay it out)."""
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
        document.write_pdf(pdf_path, pdf_variant="pdf/ua-1")
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

    return weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=local_files_only())


def render_on_two_cores(document, job: PdfJob) -> list[str]:
    """The whole guide's PDF from parts laid out at once, one on each core (parts.py), then
    joined (merge.py). A forked copy of this process lays out the second half while this one
    lays out the front matter (to count its pages) and the first half; then a second copy
    lays out the running footers while this one lays out the numbered contents."""
    import merge  # beside this script (pdf/merge.py, pdf/parts.py); merge imports pikepdf
    import parts

    split = parts.split_guide(document)
    base_url, size = job.source_dir + os.sep, job.page_size
    if split is None:  # a guide of one page (a test project): nothing to share
        return render(str(document), base_url, job.pdf_path, size)
    stem = Path(job.html_path).with_suffix("")
    front_pdf, first_pdf, second_pdf, footers_pdf = (
        str(Path(f"{stem}.{name}.pdf")) for name in ("front", "half-1", "half-2", "footers"))
    second_half = in_a_fork(lambda: lay_out(parts.half_html(split, 1), base_url, second_pdf,
                                            size, parts.HALF))
    front_html = parts.front_html(split)
    front = lay_out(front_html, base_url, front_pdf, size, parts.WITHOUT_FOOTER)
    first = lay_out(parts.half_html(split, 0), base_url, first_pdf, size, parts.HALF)
    second = second_half()
    problems = front.problems + first.problems + second.problems
    if problems or not (front.pages and first.pages and second.pages):
        return problems
    total = front.pages + first.pages + second.pages
    footers = in_a_fork(lambda: lay_out(
        parts.footers_html(total, job.language), base_url, footers_pdf, size,
        parts.footer_css(edition_line(job), bool(job.draft))))
    offsets = ((first, front.pages), (second, front.pages + first.pages))
    numbers = {target: offset + half.anchors[target] + 1 for target in split.contents_targets
               for half, offset in offsets if target in half.anchors}
    numbered = lay_out(parts.numbered_front(front_html, numbers), base_url, front_pdf, size,
                       parts.WITHOUT_FOOTER)
    problems = numbered.problems + footers().problems
    if numbered.pages != front.pages:  # a number's width moved a line: never seen so far
        problems.append(f"the printed contents took {numbered.pages} pages with its page "
                        f"numbers and {front.pages} without: shorten its longest title")
    if not problems:
        merge.merge_parts([Path(front_pdf), Path(first_pdf), Path(second_pdf)],
                          Path(footers_pdf), Path(job.pdf_path), parts.ACROSS)
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
    with contextlib.suppress(OSError):  # no Pango: render() reports it, with the fix
        import weasyprint  # noqa: F401  (now, while Sphinx is still reading the sources)
    # While Sphinx reads the sources: compile the parser's and selectors' patterns, and lay out
    # a small document once, so the fonts, Pango and HarfBuzz are loaded before the real jobs
    # (and before the guide's parts fork: they start warm).
    html, _ = printable_html(WARM_UP, WARM_UP_BODY)
    lay_out(html, ".", None, "A4")
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


WARM_UP = PdfJob(name="warm-up", subtitle="Warm-up", docname=None, html_path="", source_dir="",
                 pdf_path="", page_size="A4", project="", release="", author="",
                 language="en", last_reviewed="", next_review="",
                 disclaimer_class="guide-disclaimer", disclaimer_title="")
WARM_UP_BODY = ('<section><h1>Guide</h1><div class="guide-disclaimer"><p>Text.</p></div>'
                '</section>'
                '<span id="document-page"></span><section id="page"><h1>Page</h1>'
                '<p><a class="headerlink" href="#page">#</a><a href="#document-page">x</a></p>'
                '<figure><svg><title>t</title></svg></figure></section>')


if __name__ == "__main__":
    serve(sys.argv[1])
