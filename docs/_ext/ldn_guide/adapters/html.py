"""Accessible HTML at the source: markup fixes for docutils and Sphinx, and a sitemap.

* docutils writes a bibliography as ``<div role="list">`` whose children carry the deprecated
  ``doc-biblioentry`` role, so the list has no list items (axe ``aria-required-children``,
  WCAG 1.3.1, critical, on every page with a bibliography). Each citation becomes a
  ``role="listitem"`` here; the ``div.citation`` class the theme and the PDFs style is kept.
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
from pathlib import Path
from xml.sax.saxutils import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from ..conventions import HTML_BUILDERS, SITEMAP_BUILDERS


class AccessibleHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 translator with list semantics for citations and levelled captions."""

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


def add_content_security_policy(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """docs/_templates/page.html writes it as <meta http-equiv="Content-Security-Policy">."""
    context["content_security_policy"] = CONTENT_SECURITY_POLICY
