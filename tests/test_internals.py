"""One fast tripwire per library internal the guide relies on; each names what broke.

The internals, and where they are used (each use is commented there):
* furo's inline theme script, allowed by its hash in the CSP (ldn_guide/adapters/html.py);
* furo's markup that docs/_templates/page.html rewrites by string replacement;
* Sphinx's singlehtml builder methods the PDF step overrides (ldn_guide/adapters/pdf.py);
* Sphinx's ParallelTasks, which forks the copy that makes the single page (adapters/pdf.py;
  that its warnings come back is tested by tests/test_pdfs.py);
* ``app.statuscode``, set by the external-link report (ldn_guide/adapters/link_report.py);
* sphinxcontrib-bibtex's stored citation nodes, copied for the single page (adapters/pdf.py);
* furo's sidebar search form, copied with a submit button (docs/_templates/sidebar/search.html);
* MyST-Parser's container visitor, worked around for table wrappers (adapters/html.py).
* pybtex's table of run-time plugins, filled in one scan (adapters/pybtex_plugins.py);
* sphinxcontrib-bibtex formatting every entry at env-updated, reused (adapters/references.py);
* WeasyPrint's tagged-PDF layout, which the guide's join relies on (ldn_guide/pdf/merge.py):
  one Document element under the StructTreeRoot, a flat ParentTree ``/Nums`` (no ``/Kids``),
  and the running header's elements parented to the Document outside its ``/K``. Their
  tripwires need PDFs laid out, so they live in tests/test_pdf_parts.py (the joined guide's
  structure tree, and a small guide laid out in parts against the same laid out whole; the
  running header's elements: an xfail, merge.py does not join them yet).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from types import SimpleNamespace

import furo
import jinja2
from conftest import DOCS, GOOD_BIB
from ldn_guide.adapters import html
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

FURO_THEME = Path(furo.__file__).parent / "theme" / "furo"
PAGE_TEMPLATE = DOCS / "_templates" / "page.html"


def test_furo_theme_script_is_the_one_the_csp_allows():
    base = (FURO_THEME / "base.html").read_text(encoding="utf-8")
    assert html.FURO_THEME_SCRIPT in base, (
        "furo's inline theme script changed: update FURO_THEME_SCRIPT in adapters/html.py")


class AnyValue(jinja2.ChainableUndefined):
    """A page variable the rendering below does not set: empty, and callable (pathto())."""

    def __call__(self, *args, **kwargs):
        return self


def strings_page_html_replaces(template: str, hide_toc: bool) -> list[tuple[str, bool]]:
    """Each string TEMPLATE's ``replace()`` filters look for, and whether it was there: the
    template rendered, as Sphinx renders it (Jinja with i18n), over furo's own page.html (its
    base and partials left empty), on a page with a table of contents or without one."""
    searched = []

    def replace(text, old, new):
        searched.append((old, old in text))
        return text.replace(old, new)

    templates = {"page.html": template,
                 "!page.html": (FURO_THEME / "page.html").read_text(encoding="utf-8"),
                 "base.html": "{% block extrahead %}{% endblock %}{% block body %}{% endblock %}"}
    env = jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: templates.get(name, "")),
                             undefined=AnyValue, extensions=["jinja2.ext.i18n"])
    env.install_null_translations()
    env.filters["replace"] = replace
    env.get_template("page.html").render(
        furo_hide_toc=hide_toc, theme_top_of_page_button="edit", theme_top_of_page_buttons=[],
        sidebars=[], guide_draft="")
    return searched


def test_furo_markup_that_page_html_replaces_is_still_there():
    """docs/_templates/page.html rewrites furo's page by string replacement, and Jinja's
    replace() does nothing when the string is gone: every string it replaces (taken from the
    template itself, so a new replacement is covered too) must be in furo's rendered page,
    with a table of contents or without one (the drawer labels' "no-toc" forms)."""
    template = PAGE_TEMPLATE.read_text(encoding="utf-8")
    found: dict[str, bool] = {}
    for hide_toc in (False, True):
        for needle, there in strings_page_html_replaces(template, hide_toc):
            found[needle] = found.get(needle, False) or there
    assert len(found) == len(re.findall(r"\|\s*replace\(", template)) >= 12
    missing = [needle for needle, there in found.items() if not there]
    assert not missing, (f"furo's page.html no longer contains {missing!r}: fix "
                         "docs/_templates/page.html")


def test_singlehtml_methods_the_pdf_step_overrides_exist():
    for name in ("assemble_doctree", "get_theme_config", "handle_page", "prepare_writing",
                 "write_doc"):
        assert callable(getattr(SingleFileHTMLBuilder, name, None)), (
            f"SingleFileHTMLBuilder.{name} is gone: adapters/pdf.py relies on it")


def test_sphinx_parallel_tasks_runs_a_task_in_a_fork_and_hands_back_its_result():
    import os

    from sphinx.util.parallel import ParallelTasks, parallel_available

    assert parallel_available, "Sphinx forks no more: fix dispatch_pdfs in adapters/pdf.py"
    results = []
    tasks = ParallelTasks(1)
    tasks.add_task(lambda arg: (arg, os.getpid()), "the app",
                   lambda arg, result: results.append((arg, *result)))
    tasks.join()
    [(arg, given, pid)] = results
    assert (arg, given) == ("the app", "the app"), (
        "ParallelTasks.add_task(func, arg, result_func) changed: fix adapters/pdf.py")
    assert pid != os.getpid(), "ParallelTasks ran the task in this process"


def test_app_statuscode_is_the_exit_status():
    """A pointer, not the guard: it only finds the word in Sphinx.build. The real guard is
    tests/test_linkcheck.py, whose linkcheck runs exit 0 with blocked links and non-zero with a
    broken one, through the status adapters/link_report.py sets."""
    source = inspect.getsource(Sphinx.build)
    assert "statuscode" in source, (
        "Sphinx.build no longer sets app.statuscode: adapters/link_report.py relies on it")


def test_sphinxcontrib_bibtex_keeps_citation_nodes_the_pdf_step_copies():
    """adapters/pdf.py gives the single page copies of domain.data["bibliographies"][...]
    .citation_nodes (a namedtuple field, replaced with _replace)."""
    from sphinxcontrib.bibtex.directives import BibliographyValue

    assert "citation_nodes" in BibliographyValue._fields, (
        "sphinxcontrib-bibtex's BibliographyValue has no citation_nodes: fix "
        "bibliographies_left_as_they_were in adapters/pdf.py")
    assert callable(getattr(BibliographyValue, "_replace", None))


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
    """adapters/references.py reuses formatted entries between builds: sphinxcontrib-bibtex's
    env_updated must format each cited entry through style.format_entry(label, entry), the
    entry and its tooltip, and GuideStyle must format it once. Run on a domain holding one
    bibliography of one entry (what a build's domain holds at env-updated)."""
    import pybtex.database
    import pybtex.plugin
    from ldn_guide.adapters import references
    from sphinxcontrib.bibtex.directives import BibliographyKey, BibliographyValue
    from sphinxcontrib.bibtex.domain import BibtexDomain

    formatted = []

    class Counting(references.GuideStyle):
        def format_new_entry(self, label, entry, bib_data=None):
            formatted.append((label, entry.key))
            return super().format_new_entry(label, entry, bib_data)

    [entry] = pybtex.database.parse_string(GOOD_BIB, "bibtex").entries.values()
    bibliography = BibliographyValue(
        line=1, bibfiles=[], style="ldn-probe", list_="citation", enumtype="arabic", start=1,
        labelprefix="", keyprefix="", filter_=None, keys=[entry.key],
        citation_nodes={entry.key: {"ids": [f"cite-{entry.key}"]}})
    domain = BibtexDomain.__new__(BibtexDomain)  # its state only, without an environment
    domain.data = {"bibliographies": {BibliographyKey("index", "bib"): bibliography},
                   "citations": []}
    domain.env = SimpleNamespace(
        config=SimpleNamespace(root_doc="index", bibtex_tooltips=True, bibtex_tooltips_style=""),
        collect_relations=lambda: {"index": (None, None, None)}, found_docs={"index"})
    domain.get_sorted_entries = lambda key, docnames: [(entry.key, entry)]
    table = pybtex.plugin._RUNTIME_PLUGINS.setdefault("pybtex.style.formatting", {})
    table["ldn-probe"] = Counting
    references.FORMATTED.clear()
    try:
        domain.env_updated()
    finally:
        del table["ldn-probe"]
        references.FORMATTED.clear()
    [citation] = domain.citations
    assert citation.tooltip_entry is not None, "sphinxcontrib-bibtex formats no tooltip"
    assert formatted == [("1", entry.key)], (
        "sphinxcontrib-bibtex no longer formats entries in env_updated through "
        "style.format_entry, or GuideStyle formats one entry twice: fix "
        f"remember_formatted/store_formatted in adapters/references.py ({formatted})")
    assert citation.formatted_entry.text.render_as("text").startswith("Jane Smith. A trial.")
