"""The whole guide's PDF is laid out in parts, one on each core, and joined (pdf/parts.py,
pdf/merge.py): the joined PDF must read as one document laid out whole."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pikepdf
import pytest
from bs4 import BeautifulSoup
from conftest import project_env
from ldn_guide.pdf import parts, render  # plain functions on HTML; WeasyPrint not imported
from pypdf import PdfReader
from test_pdfs import page_texts  # page_texts: extracted once for all PDF tests


@pytest.fixture(scope="module")
def guide_pdf(guide):
    return guide / "html" / "pdf" / "ldn-provider-guide.pdf"


def pages_of_destinations(pdf) -> dict[str, int]:
    numbers = {page.objgen: index + 1 for index, page in enumerate(pdf.pages)}
    return {name: numbers[destination[0].objgen]
            for name, destination in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def test_every_page_is_numbered_in_order_of_the_whole(guide_pdf):
    texts = page_texts(guide_pdf)
    found = [re.findall(r"Page (\d+) of (\d+)", text) for text in texts]
    assert found == [[(str(number), str(len(texts)))] for number in range(1, len(texts) + 1)]
    assert all("Edition 20" in text for text in texts)  # the footer's edition line, everywhere


def test_printed_contents_gives_each_chapters_first_page(guide, guide_pdf):
    printable = BeautifulSoup((guide / "doctrees" / "pdf-input" / "ldn-provider-guide.html")
                              .read_text(encoding="utf-8"), "html.parser")
    targets = [link["href"][1:] for link in printable.select("nav.print-toc a")]
    with pikepdf.open(guide_pdf) as pdf:
        where = pages_of_destinations(pdf)
    contents = " ".join(" ".join(text.split()) for text in page_texts(guide_pdf)[:2])
    printed = [int(number) for number in re.findall(r"\.{3,}\s*(\d+)", contents)]
    assert printed == [where[target] for target in targets]
    assert len(printed) == len(targets) > 10


def test_links_between_the_halves_lead_inside_the_pdf(guide_pdf):
    with pikepdf.open(guide_pdf) as pdf:
        names = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
        internal = 0
        for page in pdf.pages:
            for link in page.get("/Annots", []):
                action = link.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    assert "across-parts.invalid" not in str(action.URI)
                elif "/Dest" in link:
                    assert str(link.Dest) in names
                    internal += 1
        assert internal > 500  # citations, glossary terms, the contents


def test_one_structure_tree_maps_every_page_and_link_once(guide_pdf):
    with pikepdf.open(guide_pdf) as pdf:
        root = pdf.Root.StructTreeRoot
        document = root.K[0]
        numbers = root.ParentTree.Nums
        keys = [int(numbers[index]) for index in range(0, len(numbers), 2)]
        assert keys == list(range(len(keys)))
        pages = [int(page.obj.StructParents) for page in pdf.pages]
        links = [int(link.StructParent) for page in pdf.pages
                 for link in page.get("/Annots", []) if "/StructParent" in link]
        assert pages == list(range(len(pdf.pages)))
        assert sorted(links) == list(range(len(pages), len(keys)))
        assert {element.P.objgen for element in document.K} == {document.objgen}
        mapped = [element for index in range(1, len(numbers), 2)
                  for element in (numbers[index] if isinstance(numbers[index], pikepdf.Array)
                                  else [numbers[index]])]
        assert not [e for e in mapped if isinstance(e.get("/P"), pikepdf.Name)]  # all joined


def test_the_running_headers_join_the_one_structure_tree(guide_pdf):
    """Every chain of parents, from each element the parent tree maps, ends at the one
    StructTreeRoot (WeasyPrint parents the running header's elements to the Document,
    outside its /K)."""
    with pikepdf.open(guide_pdf) as pdf:
        root = pdf.Root.StructTreeRoot
        numbers = root.ParentTree.Nums
        ends = set()
        for index in range(1, len(numbers), 2):
            value = numbers[index]
            for element in value if isinstance(value, pikepdf.Array) else [value]:
                while isinstance(element, pikepdf.Dictionary) and "/P" in element:
                    element = element.P
                ends.add(element.objgen if isinstance(element, pikepdf.Dictionary) else None)
        assert ends == {root.objgen}


def test_footers_are_pagination_artifacts(guide_pdf):
    with pikepdf.open(guide_pdf) as pdf:
        for page in pdf.pages:
            drawn = b"".join(stream.read_bytes() for stream in page.obj.Contents)
            assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in drawn


def test_outline_nests_every_chapter_under_the_title(guide_pdf):
    with pikepdf.open(guide_pdf) as pdf, pdf.open_outline() as outline:
        assert len(outline.root) == 1
        titles = [str(item.title) for item in outline.root[0].children]
    text = " ".join(" ".join(text.split()) for text in page_texts(guide_pdf)[:2])
    for title in ("Dosing", "Safety", "Depression", "Fibromyalgia", "Glossary", "References"):
        assert title in titles and title in text


# -- A small guide, laid out in parts and whole, in a process of its own (the parts fork) ----

SMALL_GUIDE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>
</head><body class="pdf-provider-guide"><header class="cover"><h1>Small guide</h1>
<p class="cover-edition">Edition 1. Last reviewed: 2026. Next review due: 2027.</p></header>
<nav class="print-toc" aria-label="Contents"><h2>Contents</h2><ol>
<li><a href="#one">One</a></li><li><a href="#two">Two</a></li><li><a href="#three">Three</a></li>
</ol></nav><main><div class="body"><section id="intro"><h2>Intro</h2>
<p>See <a href="#three">chapter three</a>.</p></section>
<div class="toctree-wrapper compound">
<span id="document-one"></span><section id="one"><h2>One</h2>{one}</section>
<span id="document-two"></span><section id="two"><h2>Two</h2>{two}</section>
<span id="document-three"></span><section id="three"><h2>Three</h2>{three}
<p><a href="#intro">Back to the intro</a>.</p></section></div></div></main></body></html>"""
PARAGRAPHS = "<p>" + "Words that fill a page of the small guide. " * 45 + "</p>"
SCRIPT = """
import json, sys
from bs4 import BeautifulSoup
from ldn_guide.pdf import printable, render
answers = []
for fields in json.loads(sys.argv[1]):
    job = printable.PdfJob(**fields)
    html = open(job.html_path, encoding="utf-8").read()
    problems = render.render_on_two_cores(BeautifulSoup(html, "html.parser"), job)
    if not problems:
        problems = render.render(html, job.source_dir + "/", job.pdf_path + ".whole.pdf", "A4")
    answers.append(problems)
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def small_guides(tmp_path_factory):
    """A small guide laid out in parts and whole, and the same guide with an image missing in
    its second half, in one process of their own (the parts fork): {name: (problems, PDF)}."""
    folder = tmp_path_factory.mktemp("small-guides")
    variants = {"good": PARAGRAPHS * 3,
                "faulty": PARAGRAPHS + '<img src="gone.png" alt="Gone">',
                "long contents": PARAGRAPHS * 3}
    jobs = []
    for name, three in variants.items():
        html = SMALL_GUIDE.format(one=PARAGRAPHS * 4, two=PARAGRAPHS * 2, three=three)
        if name == "long contents":  # the front takes more pages than render.py guesses
            entries = html[html.index("<li>"):html.index("</ol>")]
            html = html.replace(entries, entries * 40)
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
        jobs.append({"name": name, "subtitle": "Provider guide", "docname": None,
                     "html_path": str(folder / f"{name}.html"), "source_dir": str(folder),
                     "pdf_path": str(folder / f"{name}.pdf"), "page_size": "A4",
                     "project": "Small", "release": "1", "author": "Us", "language": "en",
                     "last_reviewed": "2026", "next_review": "2027", "disclaimer_class": "x",
                     "disclaimer_title": "X"})
    result = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(jobs)],
                            capture_output=True, text=True, check=True,
                            env=project_env())
    answers = json.loads(result.stdout)
    return {name: (problems, folder / f"{name}.pdf")
            for name, problems in zip(variants, answers, strict=True)}


@pytest.mark.parametrize("variant", ["good", "long contents"])
def test_a_guide_laid_out_in_parts_reads_as_laid_out_whole(small_guides, variant):
    """Also where the cover and contents take more pages than the first guess
    (render.FRONT_PAGES_GUESS): the contents' page numbers are those of the whole."""
    problems, joined = small_guides[variant]
    assert problems == []
    whole = PdfReader(f"{joined}.whole.pdf")
    halves = PdfReader(joined)
    assert len(halves.pages) == len(whole.pages) >= 4
    if variant == "long contents":
        front = next(index for index, page in enumerate(whole.pages)
                     if "Intro" in page.extract_text())
        assert front > render.FRONT_PAGES_GUESS
    for part, single in zip(halves.pages, whole.pages, strict=True):
        assert sorted(part.extract_text().split()) == sorted(single.extract_text().split())
    with pikepdf.open(joined) as pdf, pikepdf.open(f"{joined}.whole.pdf") as one:
        joined_at, whole_at = pages_of_destinations(pdf), pages_of_destinations(one)
    # A chapter that opens a half goes without its marker (links lead to the chapter's id).
    del whole_at["document-two"]
    assert joined_at == whole_at


def test_a_fault_in_the_second_half_is_reported_naming_the_file(small_guides):
    problems, joined = small_guides["faulty"]
    assert any(re.search(r'Error fetching "file://\S+/gone\.png".*fix its path in the page',
                         problem) for problem in problems), problems
    assert not joined.exists()  # nothing half made is published


def test_halves_share_the_work_and_link_across_by_placeholder():
    html = SMALL_GUIDE.format(one=PARAGRAPHS * 4, two=PARAGRAPHS, three=PARAGRAPHS * 3)
    split = parts.split_guide(BeautifulSoup(html, "html.parser"))
    first, second = (parts.half_html(split, index) for index in (0, 1))
    assert [len(half) for half in split.halves] == [2, 2]  # intro + one | two + three
    assert 'href="https://across-parts.invalid/#three"' in first
    assert 'href="https://across-parts.invalid/#intro"' in second
    assert 'href="#three"' not in first and 'id="document-two"' not in second
    assert 'class="opens-half"' in second
    assert parts.split_guide(BeautifulSoup("<main><div class='body'><p>x</p></div></main>",
                                           "html.parser")) is None


def test_even_cut_balances_the_halves():
    assert parts.even_cut([1, 1, 1, 1]) == 2
    assert parts.even_cut([10, 1, 1, 1]) == 1
    assert parts.even_cut([1, 1, 1, 10]) == 3
