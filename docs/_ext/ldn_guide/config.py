"""Every configuration value the guide's extension adds, typed, with what it is for.

Set them in docs/conf.py ("Guide settings") or on the command line with ``-D name=value``.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import ENUM

from .conventions import PDF_OUTPUT_DIR

VALUES = [
    # (name, default, rebuild, types, description)
    ("guide_publisher", "", "env", str,
     "Who publishes the guide (shown on the home page and the PDFs)."),
    ("guide_contact", "", "env", str,
     "Who readers tell about an error or a side effect question: empty marks the build a draft."),
    ("guide_reviewed_by", "The LDN provider guide editors", "html", str,
     "Who reviewed the clinical content (schema.org reviewedBy on every page)."),
    ("pdf_guides", False, "", bool,
     "Write the three PDFs during the HTML build (nox -s docs passes -D pdf_guides=1)."),
    ("pdf_page_size", "A4", "", ENUM("A4", "letter"),
     "Paper size of the PDFs: A4 or letter."),
    ("pdf_output_dir", PDF_OUTPUT_DIR, "", str,
     "Folder of the PDFs inside the HTML output."),
    ("internal_links_check", False, "", bool,
     "Check every internal link and anchor of the built HTML offline with lychee."),
    ("linkcheck_blocked_domains", {}, "", dict,
     "Domains that refuse robots (domain -> reason): never requested, listed as blocked."),
    ("sitemap_excluded_pages", ["404"], "html", list,
     "Pages left out of sitemap.xml (written only when html_baseurl is set)."),
]


def add_config_values(app: Sphinx) -> None:
    for name, default, rebuild, types, description in VALUES:
        kinds = types if isinstance(types, ENUM) else frozenset({types})
        app.add_config_value(name, default, rebuild, types=kinds, description=description)
