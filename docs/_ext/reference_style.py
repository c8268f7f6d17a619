"""How references look: the ``guide`` pybtex style, and labels on flagged citations.

The style is pybtex's plain style with titles exactly as refs.bib spells them, a PubMed link
for every PMID, and a visible **Retracted:** or **Corrected:** label, with the notice, for an
entry whose ``retraction`` or ``correction`` field is set. The same label, "[Retracted]" or
"[Corrected]", follows every citation of that entry in the text.
"""

from __future__ import annotations

import pybtex.plugin
from docutils import nodes
from pybtex.richtext import HRef, Tag, Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence
from sphinx.application import Sphinx

LABELS = {"retraction": "Retracted", "correction": "Corrected"}


class GuideStyle(PlainStyle):
    def format_title(self, e, which_field, as_sentence=True):
        # Titles exactly as refs.bib spells them (checked against the source): pybtex's
        # sentence-casing would turn "Norway" into "norway".
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def format_entry(self, label, entry, bib_data=None):
        formatted = super().format_entry(label, entry, bib_data=bib_data)
        parts = []
        for flag, name in LABELS.items():
            if flag in entry.fields:
                parts += [Tag("strong", f"{name}: "), Text(entry.fields[flag], ". ")]
        parts.append(formatted.text)
        if "pmid" in entry.fields:
            pmid = entry.fields["pmid"]
            parts += [Text(" PMID: "), HRef(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", pmid)]
        formatted.text = Text(*parts)
        return formatted


def label_flagged_citations(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    entries = app.env.get_domain("cite").bibdata.data.entries
    for ref in list(doctree.findall(nodes.reference)):
        target = ref.get("refuri", "") or ref.get("refid", "")
        if "#cite-" not in f"#{target}":
            continue
        entry = entries.get(target.rpartition("#")[2].removeprefix("cite-"))
        flags = [name for flag, name in LABELS.items() if entry and flag in entry.fields]
        if flags:
            label = nodes.strong("", f" [{', '.join(flags)}]", classes=["citation-flag"])
            ref.parent.insert(ref.parent.index(ref) + 1, label)


def setup(app: Sphinx) -> dict:
    pybtex.plugin.register_plugin("pybtex.style.formatting", "guide", GuideStyle)
    app.connect("doctree-resolved", label_flagged_citations)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
