"""One fast tripwire per library internal the guide relies on; each names what broke.

The internals, and where they are used (each use is commented there):
* furo's inline theme script, allowed by its hash in the CSP (ldn_guide/adapters/html.py);
* furo's markup that docs/_templates/page.html rewrites by string replacement;
* Sphinx's singlehtml builder methods the PDF step overrides (ldn_guide/adapters/pdf.py);
* ``app.statuscode``, set by the external-link report (ldn_guide/adapters/link_report.py);
* sphinxcontrib-bibtex's stored citation nodes, copied for the single page (adapters/pdf.py);
* furo's sidebar search form, copied with a submit button (docs/_templates/sidebar/search.html);
* MyST-Parser's container visitor, worked around for table wrappers (adapters/html.py).
* pybtex's table of run-time plugins, filled in one scan (adapters/pybtex_plugins.py);
* sphinxcontrib-bibtex formatting every entry at env-updated, reused (adapters/references.py).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import furo
from ldn_guide.adapters import html
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

FURO_THEME = Path(furo.__file__).parent / "theme" / "furo"


def test_furo_theme_script_is_the_one_the_csp_allows():
    base = (FURO_THEME / "base.html").read_text(encoding="utf-8")
    assert html.FURO_THEME_SCRIPT in base, (
        "furo's inline theme script changed: update FURO_THEME_SCRIPT in adapters/html.py")


def test_furo_markup_that_page_html_replaces_is_still_there():
    page = (FURO_THEME / "page.html").read_text(encoding="utf-8")
    for needle in ('class="sidebar-toggle" name="__navigation"', '<aside class="sidebar-drawer">',
                   '<aside class="toc-drawer', 'href="#furo-main-content"'):
        assert needle in page, f"furo's page.html no longer contains {needle!r}: fix page.html"


def test_singlehtml_methods_the_pdf_step_overrides_exist():
    for name in ("assemble_doctree", "get_theme_config", "handle_page", "prepare_writing",
                 "write_doc"):
        assert callable(getattr(SingleFileHTMLBuilder, name, None)), (
            f"SingleFileHTMLBuilder.{name} is gone: adapters/pdf.py relies on it")


def test_app_statuscode_is_the_exit_status():
    source = inspect.getsource(Sphinx.build)
    assert "statuscode" in source, (
        "Sphinx.build no longer sets app.statuscode: adapters/link_report.py relies on it")


def test_sphinxcontrib_bibtex_keeps_citation_nodes_the_pdf_step_copies():
    """adapters/pdf.py gives the single page copies of domain.data["bibliographies"][...]
    .citation_nodes (a namedtuple field, replaced with _replace)."""
    from sphinxcontrib.bibtex.directives import BibliographyKey, BibliographyValue

    assert "citation_nodes" in BibliographyValue._fields, (
        "sphinxcontrib-bibtex's BibliographyValue has no citation_nodes: fix "
        "bibliographies_left_as_they_were in adapters/pdf.py")
    assert callable(getattr(BibliographyValue, "_replace", None))
    assert BibliographyKey is not None


def test_furo_sidebar_search_form_the_template_copies_is_unchanged():
    """docs/_templates/sidebar/search.html is furo's form plus a submit button."""
    furo_form = (FURO_THEME / "sidebar" / "search.html").read_text(encoding="utf-8")
    for needle in ('class="sidebar-search"', 'name="q"', 'action="{{ pathto(\'search\') }}"'):
        assert needle in furo_form, (
            f"furo's sidebar/search.html changed ({needle!r}): update the copy in _templates")


def test_myst_still_overrides_the_container_visitor_html_py_works_around():
    """adapters/html.py rewrites furo's table wrapper in visit_table because MyST-Parser sets
    its own visit_container on every translator."""
    from myst_parser.parsers import docutils_

    assert callable(getattr(docutils_, "visit_container_html", None)), (
        "MyST-Parser no longer replaces visit_container (myst_parser/parsers/docutils_.py): "
        "simplify the table-wrapper rewrite in adapters/html.py")


def test_pybtex_runtime_plugin_table_is_what_find_plugin_reads_first():
    """adapters/pybtex_plugins.py writes resolved plugins into pybtex.plugin._RUNTIME_PLUGINS
    (one entry-point scan instead of fifteen); find_plugin must still look there first."""
    import pybtex.plugin
    from pybtex.style.formatting.plain import Style

    table = getattr(pybtex.plugin, "_RUNTIME_PLUGINS", None)
    assert isinstance(table, dict), (
        "pybtex.plugin._RUNTIME_PLUGINS is gone: fix register_plugins in "
        "adapters/pybtex_plugins.py")

    class Probe(Style):
        pass

    table.setdefault("pybtex.style.formatting", {})["ldn-probe"] = Probe
    try:
        assert pybtex.plugin.find_plugin("pybtex.style.formatting", "ldn-probe") is Probe, (
            "pybtex's find_plugin no longer reads _RUNTIME_PLUGINS: fix register_plugins in "
            "adapters/pybtex_plugins.py")
    finally:
        del table["pybtex.style.formatting"]["ldn-probe"]


def test_sphinxcontrib_bibtex_formats_entries_through_the_style_at_env_updated():
    """adapters/references.py reuses formatted entries between builds: sphinxcontrib-bibtex
    must format them at env-updated, through style.format_entry(label, entry)."""
    from sphinxcontrib.bibtex.domain import BibtexDomain

    source = inspect.getsource(BibtexDomain.get_formatted_entries)
    assert "format_entry(" in source and inspect.getsource(BibtexDomain.env_updated), (
        "sphinxcontrib-bibtex no longer formats entries in env_updated via format_entry: fix "
        "remember_formatted/store_formatted in adapters/references.py")
