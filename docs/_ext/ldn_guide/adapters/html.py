"""Accessible HTML at the source: markup fixes for docutils and Sphinx, and a sitemap.

* docutils writes a bibliography as ``<div role="list">`` whose children carry the deprecated
  ``doc-biblioentry`` role, so the list has no list items (axe ``aria-required-children``,
  WCAG 1.3.1, critical, on every page with a bibliography). Each citation becomes a
  ``role="listitem"`` here; the ``div.citation`` class the theme and the PDFs style is kept.
* Tables: furo wraps each table in ``div.table-wrapper`` and copies the table's id onto it
  (a duplicate id, Nu HTML Checker). The wrapper keeps no id; it becomes a named, focusable
  scroll region (``role="region"``, ``tabindex="0"``, ``aria-label``), so a table wider than
  its column says that it scrolls (docs/_static/guide.css draws the shadow cue) and the
  keyboard can scroll it (axe ``scrollable-region-focusable``). A table without a title gets a
  visually hidden caption naming the section it is in (HTML_CodeSniffer: a caption on every
  table), and every body cell gets ``data-label``, its column's heading, for the stacked layout
  on narrow screens.
* A table cell of one paragraph is written without ``<p>``, and inline citations are written
  lean (no id on the citation, no classes on its links): a condition page holds two hundred
  citations and a hundred and fifty cells.
* Sphinx writes toctree captions as ``<p role="heading">`` without a level (axe
  ``aria-required-attr``, critical, on every page: the sidebar repeats them). They get
  ``aria-level="2"``: they head sections of the sidebar and of the home page's contents.
* furo's own markup (unnamed landmarks, navigation drawers that the keyboard cannot open) is
  fixed in docs/_templates/page.html and docs/_static/a11y.css; the search page gets its
  ``<h1>`` in docs/_templates/search.html.
* When ``html_baseurl`` is set (the guide is hosted), ``sitemap.xml`` lists every page
  except those in ``sitemap_excluded_pages``. A local build has no sitemap.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape as escape_attribute
from pathlib import Path
from xml.sax.saxutils import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from ..conventions import CITATION_HTML_CLASS, HTML_BUILDERS, SITEMAP_BUILDERS
from . import table_labels

# The class of the caption written for a table without a title (visually hidden on screen,
# removed from the PDFs, where the heading above the table is printed with it).
AUTO_CAPTION_CLASS = "guide-auto-caption"
# sphinxcontrib-bibtex's inline citation ("[Bruun et al., 2024]") and the tag of its links.
CITATION_CLASS = "bibtex-citation"
CITATION_LINK = '<a class="reference internal" '
INTERNAL_CLASSES = re.compile(r'(class="[^"]*?)\s*\breference internal\b')
ROW_PARITY = re.compile(r' class="row-(?:even|odd)"')
SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


def iter_ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def table_name(table: nodes.table) -> str:
    """The table's title, else the title of the section (or page) it is in."""
    for child in table.children:
        if isinstance(child, nodes.title):
            return child.astext()
    parent = table.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and isinstance(parent[0], nodes.title):
            return parent[0].astext()
        parent = parent.parent
    return "Table"


def column_heads(table: nodes.table) -> list[str]:
    thead = next(iter(table.findall(nodes.thead)), None)
    row = next(iter(thead.findall(nodes.row)), None) if thead is not None else None
    if row is None:
        return []
    return [" ".join(entry.astext().split()) for entry in row.children]


def is_sole_cell_paragraph(node: nodes.paragraph) -> bool:
    """A table cell's one paragraph, written without <p> (docs/_static/guide.css pads the cell
    instead): the fibromyalgia page's tables held 160 such paragraphs."""
    return (isinstance(node.parent, nodes.entry) and not node["ids"] and not node["classes"]
            and [child for child in node.parent.children
                 if not isinstance(child, nodes.Invisible)] == [node])


class AccessibleHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 translator with list semantics for citations and levelled captions,
    named scroll regions around tables, captions on every table and labelled cells."""

    def visit_raw(self, node: nodes.raw) -> None:
        # matplotlib writes RDF metadata (Dublin Core format and type) into every SVG; inline
        # in HTML it is invalid (Nu HTML Checker: "rdf:RDF not allowed as child of metadata").
        # The figure's <title> says what it is. Stripped here, so every figure is covered.
        text = node.astext()
        if "html" in node.get("format", "").split() and "<metadata>" in text:
            self.body.append(SVG_METADATA.sub("", text))
            raise nodes.SkipNode
        super().visit_raw(node)

    def visit_table(self, node: nodes.table) -> None:
        # furo's wrapper was just opened. MyST-Parser (5.2) sets its own visit_container on
        # each translator instance, so the wrapper's tag is rewritten here instead.
        wrapper = node.parent
        if (isinstance(wrapper, nodes.container) and "table-wrapper" in wrapper["classes"]
                and wrapper.index(node) == 0 and self.body
                and self.body[-1].startswith('<div class="table-wrapper')):
            tag = re.sub(r' id="[^"]*"', "", self.body[-1], count=1)
            name = escape_attribute(table_name(node), quote=True)
            self.body[-1] = tag.replace(
                "<div ", f'<div role="region" tabindex="0" aria-label="{name}" ', 1)
        super().visit_table(node)
        # The guide's evidence tables take their labels from a stylesheet (table_labels.py).
        heads = [] if table_labels.labelled_by_css(node["classes"]) else column_heads(node)
        self._guide_heads = [*getattr(self, "_guide_heads", []), heads]
        if not any(isinstance(child, nodes.title) for child in node.children):
            self.body.append(f'<caption class="{AUTO_CAPTION_CLASS} visually-hidden">'
                             f"{escape(table_name(node))}</caption>\n")

    def visit_row(self, node: nodes.row) -> None:
        # Sphinx marks rows row-even/row-odd; neither furo nor guide.css styles them, and the
        # fibromyalgia page has no bytes to spare (issue 24: every page within 100 KB).
        super().visit_row(node)
        self.body[-1] = ROW_PARITY.sub("", self.body[-1], count=1)

    def depart_table(self, node: nodes.table) -> None:
        self._guide_heads = self._guide_heads[:-1]
        super().depart_table(node)

    def visit_entry(self, node: nodes.entry) -> None:
        column = node.parent.column
        super().visit_entry(node)
        heads = self._guide_heads[-1] if getattr(self, "_guide_heads", None) else []
        if isinstance(node.parent.parent, nodes.tbody) and column < len(heads) and heads[column]:
            label = escape_attribute(heads[column], quote=True)
            tag = self.body[-1]
            name = "<td" if tag.startswith("<td") else "<th"
            self.body[-1] = tag.replace(name, f'{name} data-label="{label}"', 1)

    def visit_inline(self, node: nodes.inline) -> None:
        super().visit_inline(node)
        if CITATION_CLASS in node["classes"]:
            # No id: nothing links to an inline citation (the reference list has no backlinks).
            self.body[-1] = re.sub(r' id="[^"]*"', "", self.body[-1], count=1).replace(
                f'class="{CITATION_CLASS}"', f'class="{CITATION_HTML_CLASS}"', 1)

    def visit_reference(self, node: nodes.reference) -> None:
        super().visit_reference(node)
        parent = node.parent
        if (isinstance(parent, nodes.inline) and CITATION_CLASS in parent["classes"]
                and self.body[-1].startswith(CITATION_LINK)):
            # A citation link needs only its href: ``class="reference internal"`` on each of
            # the 200 citation links of a condition page was 5 KB that no style reads.
            self.body[-1] = "<a " + self.body[-1].removeprefix(CITATION_LINK)
        elif "reference internal" in self.body[-1] and any(
                isinstance(above, nodes.section) for above in iter_ancestors(node)):
            # Nor do the page's own cross-references (furo styles .reference only in the
            # navigation and the page's contents, which are not inside a section).
            self.body[-1] = INTERNAL_CLASSES.sub(r"\1", self.body[-1], count=1).replace(
                ' class=""', "", 1)

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if not is_sole_cell_paragraph(node):
            super().visit_paragraph(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if not is_sole_cell_paragraph(node):
            super().depart_paragraph(node)

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), nodes.citation):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))

    def depart_citation(self, node: nodes.citation) -> None:
        self.body.append("</div>\n")
        if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
            self.body.append("</div>\n")

    def visit_title(self, node: nodes.title) -> None:
        super().visit_title(node)
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            # The opening tag is two entries back: '<p class="caption" role="heading">', span.
            for index in range(len(self.body) - 1, -1, -1):
                if 'role="heading"' in self.body[index]:
                    self.body[index] = self.body[index].replace(
                        'role="heading"', 'role="heading" aria-level="2"', 1
                    )
                    break


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """sitemap.xml for a hosted guide (html_baseurl set); nothing for a local build."""
    base = app.config.html_baseurl
    if exception or not base or app.builder.name not in SITEMAP_BUILDERS:
        return
    base = base.rstrip("/") + "/"
    excluded = set(app.config.sitemap_excluded_pages)
    urls = []
    for docname in sorted(app.env.found_docs - excluded):
        target = app.builder.get_target_uri(docname)
        if docname == app.config.root_doc and app.builder.name == "dirhtml":
            target = ""
        urls.append(f"  <url><loc>{escape(base + target)}</loc></url>")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )
    Path(app.outdir, "sitemap.xml").write_text(xml, encoding="utf-8")


def set_translators(app: Sphinx) -> None:
    for builder in sorted(HTML_BUILDERS):
        app.set_translator(builder, AccessibleHTMLTranslator, override=True)


# furo internal (furo 2025.12.19, theme/furo/base.html): the one inline script furo writes into
# every page, which sets the colour scheme before the page paints. Allowed by its hash; if
# furo changes it, the browser blocks it and tests/test_internals.py names this constant.
FURO_THEME_SCRIPT = (
    '\n      document.body.dataset.theme = localStorage.getItem("theme") || "auto";\n    ')


def script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    f"script-src 'self' '{script_hash(FURO_THEME_SCRIPT)}'",
    # Inline style attributes: docutils and matplotlib's SVG write them; no script runs there.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",  # the search page loads its index
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
])


def draft_notice(config) -> str:
    """Why this build is a draft ("" when it is not): a contact or the web address is unset
    in docs/conf.py's Guide settings. The pages (page.html) and the PDFs print it."""
    missing = []
    if not config.guide_contact:
        missing.append("who to contact about an error")
    if not config.html_baseurl:
        missing.append("the guide's web address")
    if not missing:
        return ""
    return (f"This copy does not yet say {' or '.join(missing)}: do not hand it out until "
            "it does.")


def add_content_security_policy(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """docs/_templates/page.html writes it as <meta http-equiv="Content-Security-Policy">;
    it also shows the draft banner when ``guide_draft`` is set."""
    context["content_security_policy"] = CONTENT_SECURITY_POLICY
    context["guide_draft"] = draft_notice(app.config)
