"""Contracts that several parts of the guide rely on, named once.

Pages, templates, the PDF worker and the tests all find things by these names, never by the
wording of a heading: renaming a heading cannot silently drop, say, the disclaimer from a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- Citations --------------------------------------------------------------------------------
# sphinxcontrib-bibtex's ``bibtex_cite_id``: a citation's anchor is stable across editions and
# inside the PDFs, so a link to "references.html#cite-bruun2024" keeps working.
CITE_ID_FORMAT = "cite-{key}"
CITE_ID_PREFIX = "cite-"
BIBLIOGRAPHY_ID = "bibliography"
# The label written after a citation of a retracted study ("[Retracted]",
# adapters/references.py); the patient handout drops it with the citation.
CITATION_FLAG_CLASS = "citation-flag"
# The class of an inline citation ("[Bruun et al., 2024]") in the pages: sphinxcontrib-bibtex
# writes "bibtex-citation"; the guide writes "cite", 130 times on the fibromyalgia page
# (adapters/html.py), and the PDF worker finds citations by it.
CITATION_HTML_CLASS = "cite"

# -- Markers ------------------------------------------------------------------------------------
# The prescriber disclaimer on the home page: a MyST block with this class (``{.guide-disclaimer}``
# on a ``:::`` admonition). The provider-guide and quick-reference PDFs print it on the cover.
DISCLAIMER_CLASS = "guide-disclaimer"
# The disclaimer addressed to patients, on the handout page; the handout PDF prints it instead.
PATIENT_DISCLAIMER_CLASS = "patient-disclaimer"
# Navigation or framing text that states no clinical fact (the citation test skips it).
NONFACTUAL_CLASS = "nonfactual"
# The Key points box of a condition page.
KEY_POINTS_CLASS = "key-points"
# The caption written for a table without a title (adapters/html.py): visually hidden on
# screen, removed from the PDFs, where the heading above the table is printed with it.
AUTO_CAPTION_CLASS = "guide-auto-caption"
# The handout's wallet card (a marked block on the handout page): its PDF prints the card
# on a strip of its own at the end, to cut out.
WALLET_CARD_CLASS = "wallet-card"


# -- The PDFs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pdf:
    name: str  # file name without ".pdf"
    title: str  # shown in the sidebar and on the cover
    docname: str | None  # the page it holds; None = the whole guide
    audience: str  # "Clinician" or "Patient": schema.org medicalAudience, and its cover

    @property
    def cover(self) -> Cover:
        return COVERS[self.audience]


@dataclass(frozen=True)
class Cover:
    title: str | None  # None: the project's title (conf.py)
    disclaimer_class: str  # the marked block printed on the cover
    disclaimer_title: str


COVERS = {
    "Clinician": Cover(None, DISCLAIMER_CLASS, "Your responsibility"),
    "Patient": Cover("Low-dose naltrexone (LDN): information for patients",
                     PATIENT_DISCLAIMER_CLASS, "About this leaflet"),
}


# The whole guide, the longest to lay out, comes first: it gets a worker process of its own.
PDFS = (
    Pdf("ldn-provider-guide", "Provider guide", None, "Clinician"),
    Pdf("ldn-quick-reference", "Quick reference", "quick-reference", "Clinician"),
    Pdf("ldn-patient-handout", "Patient handout", "patients/handout", "Patient"),
)
# The quick-reference card opens with "Before you supply" (pdf/card.py lays it out).
CARD_PDF = "ldn-quick-reference"
PDF_OUTPUT_DIR = "pdf"
# Pages the whole-guide PDF leaves out: the review log is an audit record, published on the web.
WEB_ONLY_PAGES = ("about/review-log", *(f"about/review-2/part-{number}" for number in range(1, 5)))

# -- Builders -----------------------------------------------------------------------------------
HTML_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})
# "dummy" reads the sources and writes no pages: `sphinx-build -b dummy -D pdf_guides=1`
# makes the PDFs alone (the benchmark's counterpart of `-M latexpdf`).
PDF_BUILDERS = frozenset({"html", "dummy"})
SITEMAP_BUILDERS = frozenset({"html", "dirhtml"})

# -- Warnings -----------------------------------------------------------------------------------
# Every check of the guide warns with this type and a subtype (``report.Subtype``), so `-W`
# stops the build and one subtype could be named in suppress_warnings ("ldn_guide.links").
WARNING_TYPE = "ldn_guide"

# -- Review dates -------------------------------------------------------------------------------
REVIEW_FIELDS = ("last_reviewed", "next_review")

# Pages written for patients (schema.org medicalAudience Patient); every other is Clinician.
PATIENT_PAGES = frozenset({"patients/handout"})

# -- Condition pages --------------------------------------------------------------------------
CONDITION_PAGES_DIR = "conditions"
