"""Rewrite the pages that cite refs.bib whenever refs.bib changes.

sphinxcontrib-bibtex re-reads a changed .bib file but rewrites only the reference list, so
the citations on other pages keep their old text until a full rebuild (``-a``). Marking the
citing pages as outdated keeps incremental builds (``nox -s preview``) correct and fast.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def bib_digest(app) -> str:
    digest = hashlib.sha256()
    for bibfile in app.config.bibtex_bibfiles:
        digest.update((Path(app.confdir) / bibfile).read_bytes())
    return digest.hexdigest()


def citing_pages_if_bib_changed(app, env, added, changed, removed) -> list[str]:
    digest = bib_digest(app)
    if getattr(env, "fresh_citations_digest", digest) == digest:
        env.fresh_citations_digest = digest
        return []
    env.fresh_citations_digest = digest
    domain = env.get_domain("cite")
    return sorted({ref.docname for ref in domain.citation_refs} - set(removed))


def setup(app) -> dict:
    app.connect("env-get-outdated", citing_pages_if_bib_changed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
