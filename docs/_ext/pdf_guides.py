"""Render the single-page HTML build into the three PDFs that staff hand out.

After ``sphinx-build -b singlehtml``, this writes, next to the HTML guide (``pdf_output_dir``):

* ``ldn-provider-guide.pdf``: the whole guide, with a printed table of contents;
* ``ldn-quick-reference.pdf``: the quick-reference page;
* ``ldn-patient-handout.pdf``: the patient handout.

Each PDF gets a cover block (title, edition, review dates and the index page's disclaimer),
is tagged PDF/UA-1 by WeasyPrint, and keeps only links whose target is inside it. The HTML
fed to WeasyPrint is saved beside index.html, so the link checker can check it too.
Everything WeasyPrint complains about (a missing anchor, say) becomes a Sphinx warning.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import logging as std_logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

STYLESHEET = Path(__file__).with_name("pdf_guides.css")
HEADING = re.compile(r"^h[1-6]$")
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
# name -> (title, documents it holds; None = the whole guide)
PDFS = {
    "ldn-provider-guide": ("Provider guide", None),
    "ldn-quick-reference": ("Quick reference", "quick-reference"),
    "ldn-patient-handout": ("Patient handout", "patients/handout"),
}
PANGO_HELP = ("WeasyPrint needs the Pango library to write the PDFs. Install it with: "
              "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core")


def write_pdfs(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.name != "singlehtml":
        return
    size = PAGE_SIZES.get(app.config.pdf_page_size.lower())
    if size is None:
        logger.warning(f"pdf_page_size '{app.config.pdf_page_size}' is not A4 or letter",
                       type="pdf_guides", subtype="config")
        return
    workers = min(len(PDFS), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, initializer=import_weasyprint) as pool:
        for _ in range(workers):  # start the workers: they import WeasyPrint meanwhile
            pool.submit(int)
        outdir = Path(app.outdir)
        body = merged_body(outdir / "index.html")
        target = (outdir / app.config.pdf_output_dir).resolve()
        target.mkdir(parents=True, exist_ok=True)
        # Each PDF starts rendering as soon as its HTML is ready: the whole guide (the
        # longest) first, while the short ones are prepared.
        rendering = {}
        for name, (subtitle, docname) in PDFS.items():
            if docname is not None and body.find(id=f"document-{docname}") is None:
                logger.warning(f"{name}.pdf needs the page docs/{docname}.md in a toctree",
                               type="pdf_guides", subtype="missing_page")
                continue
            html = pdf_html(app, body, subtitle, docname)
            (outdir / f"{name}.html").write_text(html, encoding="utf-8")
            rendering[name] = pool.submit(render, html, str(outdir),
                                          str(target / f"{name}.pdf"), size)
        for name, future in rendering.items():
            for problem in future.result():
                logger.warning(f"{name}.pdf: {problem}", type="pdf_guides", subtype="render")


def import_weasyprint() -> None:
    with contextlib.suppress(OSError):  # no Pango: render() reports it with the fix
        import weasyprint  # noqa: F401


def merged_body(index: Path):
    """The single page's body, cleaned up for print."""
    page = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    body = page.select_one("div.body")
    for anchor in body.select("a.headerlink"):
        anchor.decompose()
    seen: set[str] = set()
    for tagged in body.select("[id]"):  # pages merged into one reuse ids like "id1"
        while tagged["id"] in seen:
            tagged["id"] += "-again"
        seen.add(tagged["id"])
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


def pdf_html(app: Sphinx, body, subtitle: str, docname: str | None) -> str:
    """A standalone HTML document for one PDF: cover, optional contents, content, references."""
    soup = BeautifulSoup(str(body), "html.parser")
    content = soup.select_one("div.body")
    if docname is not None:
        start = content.find(id=f"document-{docname}")
        section = start.find_next_sibling("section")
        cited = {a["href"][1:] for a in section.select('a[href^="#cite-"]')}
        references = content.find(id="document-references").find_next_sibling("section")
        for entry in references.select("div.citation"):
            if entry.get("id") not in cited:
                entry.decompose()
        for paragraph in references.find_all("p", recursive=False):
            paragraph.decompose()
        content = BeautifulSoup(f"<div>{start}{section}{references}</div>", "html.parser").div
    else:
        content.find("h1").decompose()  # the cover carries the title
        chapters_after_front_matter(content)
    metadata = app.env.metadata.get(docname or app.config.root_doc, {})
    cover = cover_html(app, body, subtitle, metadata)
    contents = contents_html(content) if docname is None else ""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = f"{app.config.project}: {subtitle.lower()} ({app.config.release} edition)"
    classes = re.sub(r"\W+", "-", subtitle.lower())
    document = BeautifulSoup(
        f'<!DOCTYPE html><html lang="{app.config.language}"><head><meta charset="utf-8">'
        f"<title>{title}</title><meta name=\"author\" content=\"{app.config.author}\">"
        f'<meta name="description" content="{subtitle} of {app.config.project}">'
        f'<meta name="dcterms.created" content="{stamp}">'
        f'<meta name="dcterms.modified" content="{stamp}"></head>'
        f'<body class="pdf-{classes}">{cover}{contents}<main>{content}</main></body></html>',
        "html.parser",
    )
    ids = {tag["id"] for tag in document.select("[id]")}
    for link in document.select("a[href]"):
        href = link["href"]
        if href.startswith(("https://", "http://", "mailto:")) or href[1:] in ids:
            continue
        link.unwrap()  # a page or file this PDF does not hold: keep the words only
    return str(document)


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


def cover_html(app: Sphinx, body, subtitle: str, metadata: dict) -> str:
    disclaimer = body.find(id="your-responsibility")
    paragraphs = "".join(str(p) for p in disclaimer.find_all("p")) if disclaimer else ""
    return (
        f'<header class="cover"><p class="cover-kicker">{subtitle}</p>'
        f"<h1>{app.config.project}</h1>"
        f'<p class="cover-edition">Edition {app.config.release}. '
        f"Last reviewed: {metadata.get('last_reviewed', 'not stated')}. "
        f"Next review due: {metadata.get('next_review', 'not stated')}.</p>"
        f'<section class="cover-disclaimer"><h2>Your responsibility</h2>{paragraphs}</section>'
        "</header>"
    )


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
    """Write one PDF; return what WeasyPrint logged as warnings or errors (runs in a worker)."""
    try:
        import weasyprint
    except OSError as error:  # Pango missing: cffi cannot load the shared library
        return [f"{PANGO_HELP} ({error})"]
    problems: list[str] = []
    handler = std_logging.Handler(level=std_logging.WARNING)
    handler.emit = lambda record: problems.append(record.getMessage())
    weasyprint.LOGGER.addHandler(handler)
    page_size = weasyprint.CSS(string=f"@page {{ size: {size}; }}")
    fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_path,
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET)), page_size],
        pdf_variant="pdf/ua-1",
    )
    weasyprint.LOGGER.removeHandler(handler)
    return problems


def plain_theme_for_pdf_input(app: Sphinx, config) -> None:
    """The PDF input is built with the basic theme, which has none of furo's sidebars."""
    if config.html_theme == "basic":
        config.html_sidebars = {"**": []}


def setup(app: Sphinx) -> dict:
    app.add_config_value("pdf_page_size", "A4", "env", types=[str])
    app.add_config_value("pdf_output_dir", "../html/pdf", "env", types=[str])
    app.connect("config-inited", plain_theme_for_pdf_input)
    app.connect("build-finished", write_pdfs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
