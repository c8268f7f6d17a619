"""Checks on the Markdown sources as Sphinx reads them, each a rule from ``rules``.

* bytes that are not UTF-8, in a page or a data file (before Sphinx decodes them);
* banned claims and known errors of the commissioning article (``rules.claims``);
* the raw-HTML policy (``rules.raw_html``);
* the condition-page template (``rules.page_template``), on docs/conditions/*.md.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ..conventions import CONDITION_PAGES_DIR
from ..report import Subtype, stop_build, warn
from ..rules import claims, page_template, raw_html
from ..rules.encoding import check_text_encoding

DATA_SUFFIXES = (".yaml", ".yml", ".json")


def check_encodings(paths: list[Path]) -> None:
    bad = []
    for path in paths:
        problem = check_text_encoding(path.read_bytes())
        if problem:
            warn(problem.message, Subtype.ENCODING, location=f"{path}:{problem.line}")
            bad.append(path.name)
    if bad:
        stop_build(f"{', '.join(bad)}: save as UTF-8 (see the lines above).")


def check_data_encodings(app: Sphinx, config) -> None:
    """At config-inited: the data files are read by directives, before any page is."""
    data = Path(app.srcdir) / "data"
    check_encodings(sorted(p for p in data.rglob("*") if p.suffix in DATA_SUFFIXES))


def check_page_encodings(app: Sphinx, env, docnames: list[str]) -> None:
    check_encodings([Path(env.doc2path(docname)) for docname in docnames])


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    found = [(Subtype.CLAIMS, p) for p in claims.find_banned(text)]
    found += [(Subtype.RAW_HTML, p) for p in raw_html.check_raw_html(text)]
    if docname.startswith(f"{CONDITION_PAGES_DIR}/"):
        found += [(Subtype.TEMPLATE, p) for p in page_template.check_condition_page(text)]
    for subtype, problem in found:
        warn(problem.message, subtype, location=(docname, problem.line))
