"""How references look: the ``guide`` pybtex style, and labels on flagged citations.

The style is pybtex's plain style with titles exactly as refs.bib spells them, a PubMed link
for every PMID, a loud **Retracted:** label with the notice for an entry whose ``retraction``
field is set, and a plain "Correction: ..." note, saying what was corrected, for one whose
``correction`` field is set. "[Retracted]" also follows every citation of a retracted work in
the text; a correction is shown in the reference list only.
"""

from __future__ import annotations

import dataclasses

from docutils import nodes
from pybtex.richtext import HRef, Tag, Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.style.names.last import LastNameStyle
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

from ..conventions import CITE_ID_PREFIX
from ..env_state import state

# A retraction (or an expression of concern) stays loud wherever the work is cited. A
# correction that leaves the results as they were is said once, in the reference list, with
# what was corrected: "[Corrected]" after every citation read as "this result was wrong".
INLINE_FLAGS = {"retraction": "Retracted"}


# Formatted references, kept in the environment from one build to the next: at every build's
# env-updated sphinxcontrib-bibtex (2.7.0) formats every cited entry again, twice (the entry and
# its tooltip), about a second; an entry whose fields, people and label are unchanged formats the
# same. Filled at env-updated before sphinxcontrib-bibtex's handler (remember_formatted) and
# stored after it (store_formatted); GuideStyle.format_entry reads it.
FORMATTED: dict[tuple, object] = {}
# Bump when GuideStyle's output changes, so an incremental build does not keep old formatting.
STYLE_VERSION = 1


def entry_fingerprint(label: str, entry) -> tuple:
    people = tuple((role, tuple(str(person) for person in persons))
                   for role, persons in entry.persons.items())
    return (STYLE_VERSION, label, entry.key, entry.type, tuple(entry.fields.items()), people)


def remember_formatted(app: Sphinx, env) -> None:
    FORMATTED.clear()
    FORMATTED.update(state(env).formatted_references)


def store_formatted(app: Sphinx, env) -> None:
    state(env).formatted_references = dict(FORMATTED)
    FORMATTED.clear()


class RememberedLastNames(LastNameStyle):
    """sphinxcontrib-bibtex's "last" name style, each person's formatted last name kept.

    An author-year citation formats every author of the work it cites, again at each of the
    guide's 1,500 citations, and again for the PDFs' single page; pybtex decodes each name's
    LaTeX through latexcodec on the way, some 3 s of a build. A person's last name formats the
    same every time, so it is formatted once (as pybtex rich text, which the citation's
    ``join`` takes as it is)."""

    def __init__(self) -> None:
        super().__init__()
        self.formatted: dict[tuple[str, bool], Text] = {}

    def format(self, person, abbr=True):
        key = (str(person), abbr)  # the person's names as refs.bib spells them
        if key not in self.formatted:
            self.formatted[key] = super().format(person, abbr).format()
        return self.formatted[key]


def plain_et_al() -> PersonStyle:
    person = PersonStyle(other=Text(" et al."))
    person.style_plugin = RememberedLastNames()  # instead of the "last" plugin it looked up
    return person


@dataclasses.dataclass
class GuideReferenceStyle(AuthorYearReferenceStyle):
    """Author-year citations ("Bruun et al., 2024") with a plain "et al.": sphinxcontrib-bibtex
    italicises it, an ``<em>`` in each of the 180 citations of the fibromyalgia page (a tenth
    of its elements); clinical journals (Vancouver, APA 7) print it upright."""

    person: PersonStyle = dataclasses.field(default_factory=plain_et_al)


class GuideStyle(PlainStyle):
    def format_title(self, e, which_field, as_sentence=True):
        # Titles exactly as refs.bib spells them (checked against the source): pybtex's
        # sentence-casing would turn "Norway" into "norway".
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def format_entry(self, label, entry, bib_data=None):
        key = entry_fingerprint(label, entry)
        if key in FORMATTED:
            return FORMATTED[key]
        FORMATTED[key] = formatted = self.format_new_entry(label, entry, bib_data)
        return formatted

    def format_new_entry(self, label, entry, bib_data=None):
        formatted = super().format_entry(label, entry, bib_data=bib_data)
        parts = []
        if "retraction" in entry.fields:
            parts += [Tag("strong", "Retracted: "), Text(entry.fields["retraction"], ". ")]
        parts.append(formatted.text)
        if "pmid" in entry.fields:
            pmid = entry.fields["pmid"]
            parts += [Text(" PMID: "), HRef(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", pmid)]
        if "correction" in entry.fields:
            parts += [Text(" Correction: ", entry.fields["correction"], ".")]
        formatted.text = Text(*parts)
        return formatted


def label_flagged_citations(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    entries = app.env.get_domain("cite").bibdata.data.entries
    for ref in list(doctree.findall(nodes.reference)):
        target = ref.get("refuri", "") or ref.get("refid", "")
        if f"#{CITE_ID_PREFIX}" not in f"#{target}":
            continue
        entry = entries.get(target.rpartition("#")[2].removeprefix(CITE_ID_PREFIX))
        flags = [name for flag, name in INLINE_FLAGS.items() if entry and flag in entry.fields]
        if flags:
            label = nodes.strong("", f" [{', '.join(flags)}]", classes=["citation-flag"])
            ref.parent.insert(ref.parent.index(ref) + 1, label)
