"""The LDN provider guide's Sphinx extension: every check and generated output, in one place.

``setup()`` below is the build pipeline, in the order Sphinx runs it. The rules themselves are
plain functions in ``rules/`` (no Sphinx import): the build, nox, pre-commit and the tests call
the same ones. ``adapters/`` turns Sphinx events into rule calls and warnings;
``adapters/pdf.py`` is the only module that touches Sphinx's builder internals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "2026.2"
# Bump when what the extension stores in the environment changes shape: Sphinx then re-reads
# every page instead of mixing old and new data.
ENV_VERSION = 3


def setup(app: Sphinx) -> dict:
    # Imported here, not at the top: nox and pre-commit import the rules without Sphinx.
    from . import config
    from .adapters import (
        bib,
        figures,
        guideline,
        html,
        internal_links,
        link_report,
        metadata,
        pdf,
        pybtex_plugins,
        references,
        review_dates,
        review_log,
        screening,
        source_checks,
    )

    config.add_config_values(app)
    # Resolve pybtex's plugins once (not once per citation) and register the reference style.
    pybtex_plugins.register_plugins()
    html.set_translators(app)
    # Recommendations and GRADE profiles from docs/data/conditions/: directives, edition control.
    guideline.setup(app)
    app.add_directive("review-log", review_log.ReviewLog)
    screening.setup(app)  # "Before you supply" (docs/data/screening.yaml): checks, directives, data

    # 1. Configuration: blocked publishers are never requested by the external link check.
    app.connect("config-inited", link_report.ignore_blocked_domains)
    # 2. Start: PDF workers first, so they import WeasyPrint while Sphinx reads.
    app.connect("builder-inited", pdf.start_workers, priority=100)
    app.connect("builder-inited", link_report.quiet_per_link_warnings)
    app.connect("builder-inited", source_checks.check_data_encodings, priority=200)
    # refs.bib syntax before sphinxcontrib-bibtex parses it (its handler runs at 500) ...
    app.connect("builder-inited", bib.check_syntax, priority=400)
    # ... and its fields after.
    app.connect("builder-inited", bib.check_fields, priority=600)
    # 3. Reading: bytes, wording, raw HTML and the condition template, then review dates and
    #    the refs.bib dependency of every citing page.
    app.connect("env-before-read-docs", source_checks.check_page_encodings)
    app.connect("source-read", source_checks.check_source)
    app.connect("doctree-read", review_dates.show_review_dates)
    app.connect("doctree-read", bib.depend_on_bibfiles)
    app.connect("env-merge-info", figures.keep_drawn_figures)  # drawn by parallel readers
    # 4. All pages read: every refs.bib entry cited; then the PDFs, from the same environment,
    #    late in env-updated (after sphinxcontrib-bibtex formats the references).
    app.connect("env-check-consistency", bib.warn_uncited)
    # sphinxcontrib-bibtex formats the references at env-updated (priority 500): entries
    # formatted by the last build are reused, and this build's kept for the next.
    app.connect("env-updated", references.remember_formatted, priority=400)
    app.connect("env-updated", references.store_formatted, priority=600)
    app.connect("env-updated", pdf.dispatch_pdfs, priority=900)
    # 5. Writing: retraction labels after citations; the sidebar's PDF list.
    app.connect("doctree-resolved", references.label_flagged_citations)
    app.connect("html-page-context", pdf.offer_pdfs_in_sidebar)
    app.connect("html-page-context", html.add_content_security_policy)
    # Machine-readable: schema.org JSON-LD and Highwire citation tags on every page.
    app.connect("html-page-context", metadata.add_page_metadata)
    # 6. Finished: lychee checks links while the PDFs render; then collect both.
    app.connect("build-finished", internal_links.start_check, priority=400)
    app.connect("build-finished", pdf.collect_pdfs, priority=500)
    app.connect("build-finished", internal_links.report_broken_links, priority=600)
    app.connect("build-finished", html.write_sitemap)
    app.connect("build-finished", metadata.publish_references)  # refs.bib and CSL-JSON
    app.connect("build-finished", link_report.report)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
