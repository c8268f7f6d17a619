"""The LDN provider guide's Sphinx extension: every check and generated output, in one place.

``setup()`` below is the build pipeline, in the order Sphinx runs it. The rules themselves are
plain functions in ``rules/`` (no Sphinx import): the build, nox, pre-commit and the tests call
the same ones. ``adapters/`` turns Sphinx events into rule calls and warnings (``report.py``);
``adapters/pdf.py`` is the only module that touches Sphinx's builder internals.

The stages, as numbered in ``setup()`` (0 registers settings, the reference style, the HTML
translators and the directives):

1. Configuration read: what needs only the files, before any extension parses them. Blocked
   publishers are never requested by the external link check; refs.bib's syntax is checked
   before sphinxcontrib-bibtex parses it (at builder-inited), and the data files' bytes
   before a directive reads them.
2. Start: the figure drawer and the PDF workers before the other builder-inited handlers
   (sphinxcontrib-bibtex parses refs.bib there, at 500), so they import matplotlib and
   WeasyPrint while Sphinx works; once refs.bib is parsed, the figures to draw go to the
   drawer (the condition files' checks need the citation keys).
3. Reading: refs.bib's fields (parsed by now); each page's bytes, wording, raw HTML and the
   condition template; review dates (with the literature date on condition pages, from
   docs/data/searches.yaml) and the refs.bib dependency of every page that cites it.
   Parallel readers' validated files and figures are kept (``env_state``).
4. All pages read: a figure drawer nobody asked is stopped; every refs.bib entry cited;
   recommendations changed since the last edition named in the changelog; every page and
   label the AGREE II table names. Then the PDFs, from the same environment, late in
   env-updated: sphinxcontrib-bibtex formats the references there (at 500), reusing the
   entries formatted by the last build and keeping this build's for the next.
5. Writing: retraction labels after citations; the sidebar's PDF list; the
   Content-Security-Policy; schema.org JSON-LD and Highwire citation tags on every page.
6. Finished, in the order connected (one priority): the published data files first, so
   lychee's offline link check sees every file it could check; lychee runs while the build
   waits for the PDFs; then its broken links, and the external link summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "2026.2"
# Bump when what the extension stores in the environment changes shape: Sphinx then re-reads
# every page instead of mixing old and new data.
ENV_VERSION = 4


def register(app: Sphinx) -> None:
    """Stage 0: every setting, pybtex's plugins (resolved once, with the reference style), the
    accessible HTML translators, and the directives of the condition data, the condition pages'
    layout (jump row, narratives), the review log, the pharmacist's checklist, the searches and
    the AGREE II table."""
    from . import config
    from .adapters import (
        agree,
        guideline,
        html,
        numbers,
        page_layout,
        pybtex_plugins,
        review_log,
        screening,
        searches,
    )

    config.add_config_values(app)
    pybtex_plugins.register_plugins()
    html.set_translators(app)
    guideline.add_directives(app)
    page_layout.add_directives(app)
    numbers.add_role(app)  # {derived}`11 = 50 / 4.5`
    app.add_directive("review-log", review_log.ReviewLog)
    screening.add_directives(app)
    searches.add_directives(app)
    app.add_directive("agree-table", agree.AgreeTable)


def setup(app: Sphinx) -> dict:
    # Imported here, not at the top: nox and pre-commit import the rules without Sphinx.
    from . import env_state
    from .adapters import (
        agree,
        bib,
        drawing_ahead,
        guideline,
        html,
        internal_links,
        link_report,
        metadata,
        numbers,
        pdf,
        references,
        review_dates,
        screening,
        searches,
        source_checks,
        table_labels,
    )

    register(app)  # 0. settings, the reference style, HTML translators, directives
    # 1. Configuration read (why each stage's handlers sit where they do: module docstring)
    app.connect("config-inited", link_report.ignore_blocked_domains)
    app.connect("config-inited", bib.check_syntax)
    app.connect("config-inited", source_checks.check_data_encodings)
    # 2. Start
    app.connect("builder-inited", drawing_ahead.start, priority=90)  # matplotlib's import
    app.connect("builder-inited", pdf.start_workers, priority=100)
    app.connect("builder-inited", link_report.quiet_per_link_warnings)
    app.connect("builder-inited", table_labels.write_stylesheet)
    app.connect("builder-inited", drawing_ahead.send_jobs, priority=600)  # refs.bib parsed
    # 3. Reading
    app.connect("env-before-read-docs", bib.check_fields)
    app.connect("env-before-read-docs", numbers.check_excerpts_and_bib)
    app.connect("env-before-read-docs", numbers.check_condition_files)
    app.connect("env-before-read-docs", screening.check_table)
    app.connect("env-before-read-docs", source_checks.check_page_encodings)
    app.connect("source-read", source_checks.check_source)
    app.connect("source-read", numbers.check_numbers)
    app.connect("doctree-read", review_dates.show_review_dates)
    app.connect("doctree-read", searches.show_literature_date)  # under the review dates
    app.connect("doctree-read", bib.depend_on_bibfiles)
    app.connect("env-merge-info", env_state.merge_parallel_reads)
    # 4. All pages read
    app.connect("env-check-consistency", bib.warn_uncited)
    app.connect("env-check-consistency", guideline.check_edition_control)
    app.connect("env-check-consistency", agree.check_targets)
    app.connect("env-updated", drawing_ahead.stop, priority=300)
    app.connect("env-updated", references.remember_formatted, priority=400)
    app.connect("env-updated", references.store_formatted, priority=600)
    app.connect("env-updated", pdf.dispatch_pdfs, priority=900)
    # 5. Writing
    app.connect("doctree-resolved", references.label_flagged_citations)
    app.connect("html-page-context", pdf.offer_pdfs_in_sidebar)
    app.connect("html-page-context", html.add_content_security_policy)
    app.connect("html-page-context", metadata.add_page_metadata)
    app.connect("html-page-context", screening.add_script)
    # 6. Finished
    app.connect("build-finished", guideline.write_recommendations)
    app.connect("build-finished", html.write_sitemap)
    app.connect("build-finished", metadata.publish_references)
    app.connect("build-finished", screening.publish)
    app.connect("build-finished", internal_links.start_check)
    app.connect("build-finished", pdf.collect_pdfs)
    app.connect("build-finished", internal_links.report_broken_links)
    app.connect("build-finished", link_report.report)
    return {"version": __version__, "env_version": ENV_VERSION,
            "parallel_read_safe": True, "parallel_write_safe": True}
