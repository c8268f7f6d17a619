"""The condition pages' layering: the "On this page" jump row and the study narratives'
disclosures (the order itself is ``rules/page_template.py``'s).

- ``{on-this-page}`` (no argument, under the Key points box): one line of links to the page's
  decision sections (``page_template.DECISION_SECTIONS``), resolved to their section ids when
  the page is written, so a renamed section is a broken link the link check reports. On the web
  only: the PDFs have their bookmarks and printed contents.
- ``:::{narrative} Title`` with its body: on a web page a native ``<details>``/``<summary>``
  disclosure, closed (keyboard-operable with no script, and outside the page's contents list,
  since it is not a section); in the single-page HTML the PDFs are made from, a section with a
  heading one level below its own, so the PDFs print every narrative expanded, with its
  bookmark. A label written before it (``(dissociation-pape2014)=``) names it, and ``{ref}``
  takes the title as the link's text (it is registered as an enumerable node for that).
  ``_static/print.css`` prints a web page's disclosures open too.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..rules.page_template import DECISION_SECTIONS

NARRATIVE_CLASS = "study-narrative"
JUMP_ROW_CLASS = "on-this-page"
PRINT_BUILDERS = frozenset({"singlehtml"})  # the PDFs' source: everything expanded


class narrative(nodes.General, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """A study's narrative: ``title`` and its body."""


class jump_row(nodes.General, nodes.Element):  # noqa: N801
    """The "On this page" links; resolved when written."""


class Narrative(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = narrative(title=self.arguments[0], classes=[NARRATIVE_CLASS])
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class OnThisPage(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        node = jump_row(classes=[JUMP_ROW_CLASS])
        self.set_source_info(node)
        return [node]


def visit_narrative(self, node: narrative) -> None:
    title = html.escape(node["title"], quote=False)
    if self.builder.name in PRINT_BUILDERS:
        level = min(self.section_level + 1, 6)
        self.body.append(self.starttag(node, "section"))
        self.body.append(f'<h{level} class="{NARRATIVE_CLASS}-title">{title}</h{level}>')
        self.context.append("</section>\n")
        return
    # Title and body are styled as `details.study-narrative > summary > span` and `> div`
    # (guide.css): no class of their own, for the page budget.
    # The label's id goes on the body, not on <details>: a link to it (a Key point's "See:")
    # then opens the disclosure (browsers open a closed <details> holding the target), and
    # guide.css's scroll margin keeps the summary in view above it.
    ids = sorted(node["ids"], key=lambda name: name not in node["names"])
    if node["names"]:  # a labelled narrative needs no docutils "id137" beside its label
        ids = [name for name in ids if not re.fullmatch(r"id\d+", name)]
    extra = "".join(f'<span id="{name}"></span>' for name in ids[1:])
    first = f' id="{ids[0]}"' if ids else ""
    self.body.append(f'<details class="{" ".join(node["classes"])}"><summary>'
                     f'<span>{title}</span></summary><div{first}>{extra}\n')
    self.context.append("</div></details>\n")


def depart_narrative(self, node: narrative) -> None:
    self.body.append(self.context.pop())


def visit_jump_row(self, node: jump_row) -> None:
    if self.builder.name in PRINT_BUILDERS:
        raise nodes.SkipNode
    ids = {section[0].astext(): section["ids"][0]
           for section in self.document.findall(nodes.section)
           if section["ids"] and section.children and isinstance(section[0], nodes.title)}
    links = [f'<a href="#{ids[title]}">{html.escape(label)}</a>'
             for title, label in DECISION_SECTIONS if title in ids]
    self.body.append(f'<nav class="{JUMP_ROW_CLASS}" aria-label="On this page"><p>'
                     f'<span class="{JUMP_ROW_CLASS}-label">On this page:</span> '
                     + ' <span aria-hidden="true">·</span> '.join(links) + "</p></nav>\n")
    raise nodes.SkipNode


def add_directives(app: Sphinx) -> None:
    app.add_enumerable_node(narrative, "narrative", lambda node: node["title"],
                            html=(visit_narrative, depart_narrative))
    app.add_node(jump_row, html=(visit_jump_row, depart_narrative))
    app.add_directive("narrative", Narrative)
    app.add_directive("on-this-page", OnThisPage)
