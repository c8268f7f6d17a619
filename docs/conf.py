"""Sphinx configuration for the LDN provider guide.

Nothing here reads the network or the clock: dates come from SOURCE_DATE_EPOCH (set by nox
from the last git commit) and from each page's review-date front matter.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).parent
# The guide's own extension package (docs/_ext/ldn_guide). Appended, not inserted, so it can never
# shadow an installed module.
sys.path.append(str(HERE / "_ext"))
from ldn_guide.conventions import BIBLIOGRAPHY_ID, CITE_ID_FORMAT  # noqa: E402

# -- Project information -------------------------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#project-information

_pyproject = tomllib.loads((HERE.parent / "pyproject.toml").read_text(encoding="utf-8"))

project = "Low-dose naltrexone (LDN): a guide for prescribers"
author = "The LDN provider guide editors"
# The edition lives in pyproject.toml so the package, the pages and the PDFs agree.
release = version = _pyproject["project"]["version"]
# Sphinx swaps the current year for the SOURCE_DATE_EPOCH year, so this never reads the clock.
copyright = "2026, The LDN provider guide editors. Licensed CC BY 4.0"
language = "en"

# -- Guide settings (one place for values an editor may need to change) --------------------

# Who publishes the guide, and who to tell about an error. Change these here, not in pages.
# The publisher is the one the commissioning article names.
guide_publisher = "The Medicine Center Pharmacy, New Philadelphia"
# Who readers tell about an error (a name with an e-mail address or a telephone number). Empty
# until the publisher gives one: the build is then a draft, and says so on every page and PDF.
guide_contact = ""
# Where the HTML is hosted; leave empty for a local build (no sitemap or canonical URL then).
# Empty also marks the build a draft: the PDFs cannot print the guide's web address.
html_baseurl = ""
# What a page prints where a setting is empty: plainly a gap to fill, never a name.
UNSET = "[not yet set: draft edition]"

# -- General configuration -----------------------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#general-configuration

extensions = [
    # Third-party extensions
    "myst_parser",
    "sphinxcontrib.bibtex",
    # The guide's own extension: every check and generated output (docs/_ext/ldn_guide)
    "ldn_guide",
]

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "data/**", "_ext/**"]
templates_path = ["_templates"]
root_doc = "index"
nitpicky = True
# Sphinx's default smart quotes change quoted text in references and titles; keep text as typed.
smartquotes = False

# -- MyST ------------------------------------------------------------------------------------
# https://myst-parser.readthedocs.io/en/latest/configuration.html

# Only the syntax the pages use: ::: fences for boxes, definition lists, block attributes
# ({.nonfactual} marks navigation text the citation test may skip) and {{ substitutions }}.
myst_enable_extensions = ["colon_fence", "deflist", "attrs_block", "substitution"]
# Values pages show with {{ name }}; edit them in the "Guide settings" block above.
myst_substitutions = {
    "edition": release,
    "publisher": guide_publisher or UNSET,
    "contact": guide_contact or UNSET,
}
myst_url_schemes = {
    "http": None,
    "https": None,
    "mailto": None,
    "doi": "https://doi.org/{{path}}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{{path}}/",
}
myst_heading_anchors = 3

# -- Citations (sphinxcontrib-bibtex) --------------------------------------------------------
# https://sphinxcontrib-bibtex.readthedocs.io/en/latest/usage.html

bibtex_bibfiles = ["../refs.bib"]
bibtex_encoding = "utf-8"
# One global reference list (docs/references.md); author-year citations read well in
# clinical prose and do not renumber when a chapter is added.
bibtex_default_style = "guide"  # registered by ldn_guide (adapters/references.py)
bibtex_reference_style = "guide"  # author_year with a plain "et al." (adapters/references.py)
# No tooltips: the full reference in each citation link's title reached only mouse users and was
# two fifths of a condition page's HTML. Each citation links to its entry in the reference list
# (references.html#cite-<key>), which keyboard, touch and mouse users can all follow.
bibtex_tooltips = False
# Stable anchors: a citation link keeps working across editions and in the PDFs.
bibtex_cite_id = CITE_ID_FORMAT  # the PDF worker and the templates find citations by it
bibtex_bibliography_id = BIBLIOGRAPHY_ID

# -- HTML output -----------------------------------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#options-for-html-output

html_theme = "furo"
html_title = f"LDN: a guide for prescribers ({release} edition)"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_css_files = ["guide.css", "a11y.css", "print.css"]
# Scripts are files, never inline: every page's Content-Security-Policy allows only these.
html_js_files = ["drawer-toggles.js"]
html_show_sourcelink = False
html_copy_source = False
# furo loads no web fonts; keep it that way: no third-party requests from a medical guide.
# Every page offers the PDFs (docs/_templates/sidebar/pdf-downloads.html).
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/pdf-downloads.html",
        "sidebar/scroll-end.html",
    ]
}
html_last_updated_fmt = None

# -- Accessibility and page metadata (ldn_guide: adapters/html.py) ------------------------

# <html lang> comes from `language` above; each page's description from its front matter
# (myst: html_meta: description: ...). A hosted guide (html_baseurl set in "Guide settings")
# also gets sitemap.xml, without these pages; a local build gets none.
sitemap_excluded_pages = ["404"]

# -- PDF guides (ldn_guide: adapters/pdf.py) ----------------------------------------------------

# Off for local builds, so `sphinx-build -b html` and `nox -s preview` stay fast: `nox -s docs`
# passes `-D pdf_guides=1`. Read the Docs runs a plain `sphinx-build -b html`, so the hosted
# guide turns them on here. A4 by default; US Letter with `-D pdf_page_size=letter`.
ON_READ_THE_DOCS = os.environ.get("READTHEDOCS") == "True"
pdf_guides = ON_READ_THE_DOCS
pdf_page_size = "A4"

# -- Internal links (ldn_guide: adapters/internal_links.py) ---------------------------------

# Off for local builds for the same reason; `nox -s docs` passes `-D internal_links_check=1`.
internal_links_check = ON_READ_THE_DOCS

# -- Link checking ---------------------------------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#options-for-the-linkcheck-builder
# Runs only in `nox -s linkcheck` (needs network). ldn_guide (rules/links.py) sorts the results.

linkcheck_timeout = 20
linkcheck_retries = 3
linkcheck_workers = 3  # be polite to journal sites
# Sphinx retries only "broken" results, so report timeouts as broken to have them retried too;
# link_report still lists a link that never answered as unverifiable, which does not fail.
linkcheck_report_timeouts_as_broken = True
# After a 429 without Retry-After Sphinx waits 60 s, then doubles the wait up to this limit,
# then gives up (link_report: blocked). 120 s bounds one rate-limiting site to about 3 minutes.
linkcheck_rate_limit_timeout = 120.0
# DOIs and PubMed IDs redirect to publishers by design. Any other redirect is listed as broken
# by the link report (update the link to where it now points).
linkcheck_allowed_redirects = {
    r"https://doi\.org/.*": r".*",
    r"https://pubmed\.ncbi\.nlm\.nih\.gov/.*": r".*",
    r"https://pmc\.ncbi\.nlm\.nih\.gov/.*": r".*",
}
# Publishers that answer robots with 403 whatever the link (domain -> reason; subdomains
# included). The guide's extension adds each to linkcheck_ignore, so they are never requested,
# also when a DOI redirects to them, and lists their links as blocked, with this reason.
linkcheck_blocked_domains = {
    "onlinelibrary.wiley.com": "Wiley blocks automated clients (403 after the DOI redirect)",
    "www.sciencedirect.com": "Elsevier blocks automated clients (403)",
    "linkinghub.elsevier.com": "Elsevier blocks automated clients (403)",
    "journals.lww.com": "Wolters Kluwer blocks automated clients (403)",
    "www.tandfonline.com": "Taylor & Francis blocks automated clients (403)",
    "academic.oup.com": "Oxford University Press blocks automated clients (403)",
    "www.psychiatrist.com": "Physicians Postgraduate Press blocks automated clients (403)",
}

# -- Warnings ------------------------------------------------------------------------------
# Every warning fails the build (-W). None is suppressed.
suppress_warnings: list[str] = []
