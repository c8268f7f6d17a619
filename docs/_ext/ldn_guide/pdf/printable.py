"""The printable HTML of each PDF, cut from the guide's single-page HTML (BeautifulSoup).

The printable HTML gets a cover block (title, edition, review dates and the disclaimer for
the PDF's readers, found by its marker class), a printed table of contents (whole guide
only), and keeps only links whose target
is inside it. The patient handout loses its author-year citations and reference list (a short
"Where this information comes from" list instead) and gets its wallet card (marker class
:data:`~ldn_guide.conventions.WALLET_CARD_CLASS`) on a strip of its own at the end; the quick
reference cites by number. A draft build (no contact or web address in docs/conf.py) says so
on the cover and every page. The printable HTML is saved (``html_path``) to show what
WeasyPrint was given.

Plain functions on HTML, no WeasyPrint and no Sphinx: the class names come from
``conventions.py``, and the rest of what a PDF needs to know (the disclaimer's marker class,
say) comes in its :class:`PdfJob`.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import os
import re

from bs4 import BeautifulSoup

from ..conventions import (
    CITATION_FLAG_CLASS,
    CITATION_HTML_CLASS,
    CITE_ID_PREFIX,
    WALLET_CARD_CLASS,
)
from . import card
from .single_page import cleaned_body, shared_cleaned_body

HEADING = re.compile(r"^h[1-6]$")


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


def printable_html(job: PdfJob, single_page_body: str) -> tuple[str, list[str]]:
    """A standalone HTML document for one PDF (cover, optional contents, content, references),
    and the links in it that lead nowhere."""
    document, problems = printable_document(job, single_page_body)
    return str(document), problems


def printable_document(job: PdfJob, single_page_body: str):
    """:func:`printable_html` as a BeautifulSoup document."""
    # The whole guide changes the cleaned body in place; a page's PDF copies what it prints
    # from a cleaned body that the worker's one-page jobs share (parsed once, not per PDF).
    body = (cleaned_body(single_page_body) if job.docname is None
            else shared_cleaned_body(single_page_body))
    disclaimer = disclaimer_html(body, job.disclaimer_class)
    content = pdf_content(body, job)
    for block in content.find_all(class_=job.disclaimer_class):  # the cover prints it: not twice
        section = block.find_parent("section")
        block.decompose()
        if section and not section.find(["p", "ul", "ol", "table", "div"]):
            section.decompose()  # only its heading was left
    contents = contents_html(content) if job.docname is None else ""
    document = BeautifulSoup(document_html(job, cover_html(job, disclaimer), contents),
                             "html.parser")
    document.main.append(content)
    if job.card:
        card.make_card(document, job)
    return document, links_inside(document, job)


def pdf_content(body, job: PdfJob):
    """What the PDF prints after its cover: one page and its references, or the whole guide."""
    if job.docname is None:
        body.find("h1").decompose()  # the cover carries the title
        leave_out(body, job.web_only)
        chapters_after_front_matter(body)
        return body
    content = one_page_with_its_references(body, job.docname)
    if job.audience == "Patient":
        for_patients(content, job)
    elif job.numbered_citations:
        number_citations(content)
    return content


def document_html(job: PdfJob, cover: str, contents: str) -> str:
    """The printable document around an empty ``<main>``: its metadata, cover and contents."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = f"{job.project}: {job.subtitle.lower()} ({job.release} edition)"
    classes = re.sub(r"\W+", "-", job.subtitle.lower())
    return (
        f'<!DOCTYPE html><html lang="{job.language}"><head><meta charset="utf-8">'
        f"<title>{title}</title><meta name=\"author\" content=\"{job.author}\">"
        f'<meta name="description" content="{job.subtitle} of {job.project}">'
        f'<meta name="dcterms.created" content="{stamp}">'
        f'<meta name="dcterms.modified" content="{stamp}"></head>'
        f'<body class="pdf-{classes}">{cover}{contents}<main></main>'
        "</body></html>"
    )


def links_inside(document, job: PdfJob) -> list[str]:
    """Keep only links whose target the PDF holds; return the whole guide's links that lead
    nowhere (the PDF of one page drops its links to the other pages without a word)."""
    # A link to a page leads to its chapter's first page, not to its marker (an empty span at
    # the foot of the page before).
    tags = document.find_all(True)  # one walk, not one CSS selection per step
    chapters = {f"#{marker['id']}": f"#{section['id']}" for marker in chapter_markers(tags)
                if (section := marker.find_next_sibling("section")) and section.get("id")}
    links = [tag for tag in tags if tag.name == "a" and "href" in tag.attrs]
    for link in links:
        if link["href"].startswith("#document-"):
            link["href"] = chapters.get(link["href"], link["href"])
    ids = {tag["id"] for tag in tags if "id" in tag.attrs}
    problems = []
    for link in links:
        href = link["href"]
        if href.startswith(("https://", "http://", "mailto:")) or href[1:] in ids:
            continue
        if job.docname is None and href.startswith("#"):  # the whole guide holds every page
            problems.append(f"the link to {href} ('{link.get_text()}') has no target")
        link.unwrap()  # a page or file this PDF does not hold: keep the words only
    return problems


def chapter_markers(tags) -> list:
    """The chapters' markers among ``tags``: the empty spans singlehtml puts before each page,
    ``<span id="document-...">`` (in document order)."""
    return [tag for tag in tags
            if tag.name == "span" and tag.get("id", "").startswith("document-")]


def one_page_with_its_references(body, docname: str):
    """One page of the guide, followed by the reference entries it cites: copies, so that
    ``body`` stays whole for the next page's PDF."""
    start = copy.copy(body.find(id=f"document-{docname}"))
    section = copy.copy(body.find(id=f"document-{docname}").find_next_sibling("section"))
    cited = {a["href"][1:] for a in section.select(f'a[href^="#{CITE_ID_PREFIX}"]')}
    references = copy.copy(body.find(id="document-references").find_next_sibling("section"))
    for entry in references.select("div.citation"):
        if entry.get("id") not in cited:
            entry.decompose()
    for paragraph in references.find_all("p", recursive=False):
        paragraph.decompose()
    content = BeautifulSoup("<div></div>", "html.parser").div
    content.extend([start, section, references])
    return content


def for_patients(content, job: PdfJob) -> None:
    """The handout as the patient's leaflet: no author-year citations in the text, a short
    "Where this information comes from" list instead of the reference list, and the wallet
    card on a strip of its own at the end, to cut out."""
    for citation in content.select(f"span.{CITATION_HTML_CLASS}"):
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
    if getattr(after, "get", None) and CITATION_FLAG_CLASS in after.get("class", []):
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
    for citation in content.select(f"span.{CITATION_HTML_CLASS}"):
        links = citation.select(f'a[href^="#{CITE_ID_PREFIX}"]')
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
    targets = {f"#document-{docname}" for docname in docnames}
    markers = {tag["id"]: tag for tag in chapter_markers(content.find_all("span"))}
    for docname in docnames:
        start = markers.get(f"document-{docname}")
        if start is not None:  # (the HTML build leaves the page out of the single page)
            section = start.find_next_sibling("section")
            if section is not None:
                section.decompose()
            start.decompose()
    # One walk over the links for all the pages (a CSS selection per page walked them all).
    for link in [a for a in content.find_all("a", href=True) if a["href"] in targets]:
        item = link.find_parent("li")
        if item is not None and item.find_parent(class_="toctree-wrapper"):
            item.decompose()  # its line in the contents
        else:
            link.unwrap()  # a mention in the prose: keep the words


def chapters_after_front_matter(content) -> None:
    """Move the inlined chapters out of whichever index section holds the toctrees, so each
    chapter is a top-level section with an h2 title (for the outline and running header)."""
    for wrapper in content.find_all("div", class_="toctree-wrapper"):
        for caption in wrapper.select("p.caption"):
            caption.decompose()
        content.append(wrapper.extract())
    for start in chapter_markers(content.find_all("span")):
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
    for start in chapter_markers(content.find_all("span")):
        section = start.find_next_sibling("section")
        heading = section.find("h2") if section else None
        if heading and section.get("id"):
            items.append(f'<li><a href="#{section["id"]}">{heading.get_text()}</a></li>')
    return ('<nav class="print-toc" aria-label="Contents"><h2>Contents</h2>'
            f'<ol>{"".join(items)}</ol></nav>')
