"""The quick-reference card: what the printable HTML of ``ldn-quick-reference`` changes.

The card is read at the pharmacy counter, so its first page opens with "Before you supply"
(docs/quick-reference.md; the checklist from docs/data/screening.yaml) and nothing comes
before it:

- the cover (title, edition, publisher, draft notice and "Your responsibility") moves to the
  end, as the card's colophon; a hidden line at the top still names the edition and the draft
  for every page's running header and footer (print.css ``.card-running``);
- the reference list becomes numbered short references (first author or body and the
  title, each cut short) with where the full list is: the provider guide's References, at
  the guide's address.

Like the worker, this imports nothing from Sphinx or the rest of the package.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

TITLE_CHARACTERS = 24
# The sections of docs/quick-reference.md that make the pharmacist's first page.
FRONT_SECTIONS = ("before-you-supply", "counsel", "supplied-as")
PRESCRIBER_LISTS = ("dosing", "do-not-prescribe-ldn-to", "key-warnings-and-interactions")


def short_reference(text: str) -> str:
    """'Smith J, Jones K, Brown L. A long title. Journal, 2020. doi:...' ->
    'Smith J et al. A long title.' (first author or body, and the title, each cut short)."""
    text = " ".join(text.split())
    parts = re.split(r"(?<=[a-z0-9)\]])\. (?=[A-Z0-9“\"'])", text, maxsplit=2)
    authors = parts[0].rstrip(".")
    title = parts[1].rstrip(".") if len(parts) > 1 else ""
    if authors.count(",") >= 2 or " and " in authors:
        authors = re.split(r",| and ", authors)[0].strip() + " et al."
    authors, title = shortened(authors), shortened(title)
    title = title if title.endswith("…") or not title else title + "."
    return f"{authors.rstrip('.')}. {title}".rstrip()


def shortened(text: str) -> str:
    """At most TITLE_CHARACTERS, cut at a word, with an ellipsis where cut."""
    if len(text) <= TITLE_CHARACTERS:
        return text
    return text[:TITLE_CHARACTERS].rsplit(" ", 1)[0].rstrip(",;:.(") + "…"


def make_card(document, job) -> None:
    """Rearrange the card's printable document in place (see the module docstring)."""
    body = document.body
    cover = body.select_one("header.cover")
    running = document.new_tag("p", attrs={"class": "card-running", "aria-hidden": "true"})
    edition = cover.select_one(".cover-edition") if cover else None
    if edition is not None:
        running.append(BeautifulSoup(f'<span class="card-edition">{edition.get_text()}</span>',
                                     "html.parser"))
    if cover is not None and cover.select_one(".draft-banner"):
        running.append(BeautifulSoup('<span class="card-draft">Draft edition</span>',
                                     "html.parser"))
    body.insert(0, running)
    # The pharmacist's page, and the prescriber's lists after the evidence table: each set of
    # sections flows through two columns together.
    for names in (FRONT_SECTIONS, PRESCRIBER_LISTS):
        sections = [body.select_one(f"section#{name}") for name in names]
        sections = [section for section in sections if section is not None]
        if sections:
            wrapper = document.new_tag("div", attrs={"class": "card-columns"})
            sections[0].insert_before(wrapper)
            for section in sections:
                wrapper.append(section.extract())
    references = body.select_one("section#references")
    for paragraph in body.select("div.citation > p"):
        text = paragraph.get_text(" ")
        paragraph.clear()
        paragraph.append(short_reference(text))
    if references is not None:
        where = f" at {job.guide_url}" if job.guide_url else ""
        note = BeautifulSoup(
            f'<p class="card-full-references">Short; in full in the provider guide{where} '
            f"(edition {job.release}, References).</p>",
            "html.parser")
        heading = references.find(re.compile("^h[1-6]$"))
        if heading is not None:
            heading.insert_after(note)
        else:
            references.insert(0, note)
    if cover is not None:
        cover.extract()
        cover["class"] = [*cover.get("class", []), "card-colophon"]
        title = cover.find("h1")
        if title is not None:
            title.name = "p"
            title["class"] = ["cover-title"]
            title.insert_before(": ")
        body.append(cover)
