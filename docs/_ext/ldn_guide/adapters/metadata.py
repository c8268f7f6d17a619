"""Machine-readable metadata: schema.org JSON-LD and Highwire tags on every page, and the
references published next to the HTML as refs.bib and CSL-JSON (refs.json).

Search engines and health-information services read ``MedicalWebPage`` (with
``lastReviewed`` from the page's front matter, and on a condition page ``temporalCoverage``
"../DATE", the literature up to its last search, from docs/data/searches.yaml); Google
Scholar and reference managers read the Highwire ``citation_*`` tags. Nothing here reads the
clock: dates come from the front matter and the search data.
"""

from __future__ import annotations

import json
import re
import shutil
from html import escape, unescape
from pathlib import Path

from sphinx.application import Sphinx

from ..conventions import PATIENT_PAGES, SITEMAP_BUILDERS
from ..rules import csl
from . import searches


def audience(pagename: str) -> str:
    return "Patient" if pagename in PATIENT_PAGES else "Clinician"


def json_ld(app: Sphinx, pagename: str, title: str) -> dict:
    metadata = app.env.metadata.get(pagename, {})
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "inLanguage": app.config.language,
        "version": app.config.release,
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": audience(pagename)},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "author": {"@type": "Organization", "name": app.config.author},
    }
    if "last_reviewed" in metadata:
        data["lastReviewed"] = str(metadata["last_reviewed"])
    literature = searches.literature_date_of(app.env, pagename)
    if literature:  # a condition page: the literature it rests on, up to its last search
        data["temporalCoverage"] = f"../{literature}"
    if app.config.guide_reviewed_by:
        data["reviewedBy"] = {"@type": "Organization", "name": app.config.guide_reviewed_by}
    if app.config.guide_publisher:
        data["publisher"] = {"@type": "Organization", "name": app.config.guide_publisher}
    if app.config.html_baseurl:
        data["url"] = app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(
            pagename)
    return data


def add_page_metadata(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """JSON-LD and Highwire tags into furo's {{ metatags }} (a documented Sphinx context
    variable); JSON-LD is data, not script, so the Content-Security-Policy does not apply."""
    if doctree is None:  # search, genindex: generated pages carry no clinical content
        return
    # The context's title is HTML (escaped, maybe with tags): reduce it to its text.
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", str(context.get("title", "")))).split())
    plain_title = escape(text, quote=True)
    ld = json.dumps(json_ld(app, pagename, text), sort_keys=True, ensure_ascii=False)
    tags = [f'<script type="application/ld+json">{ld.replace("</", "<\\/")}</script>',
            f'<meta name="citation_title" content="{plain_title}">',
            f'<meta name="citation_author" content="{escape(app.config.author)}">',
            f'<meta name="citation_language" content="{app.config.language}">']
    reviewed = app.env.metadata.get(pagename, {}).get("last_reviewed")
    if reviewed:
        tags.append(f'<meta name="citation_publication_date" '
                    f'content="{str(reviewed).replace("-", "/")}">')
    if app.config.guide_publisher:
        tags.append(f'<meta name="citation_publisher" '
                    f'content="{escape(app.config.guide_publisher)}">')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)


def publish_references(app: Sphinx, exception: Exception | None) -> None:
    """refs.bib as it is, and as CSL-JSON, next to the HTML guide."""
    if exception or app.builder.name not in SITEMAP_BUILDERS:
        return
    entries = app.env.get_domain("cite").bibdata.data.entries
    out = Path(app.outdir)
    for name in app.config.bibtex_bibfiles:
        shutil.copyfile(Path(app.confdir) / name, out / Path(name).name)
    text = json.dumps(csl.bibliography(entries), indent=1, sort_keys=True, ensure_ascii=False)
    (out / "refs.json").write_text(text + "\n", encoding="utf-8")
