"""Look up each pybtex plugin once per build instead of once per citation.

pybtex finds plugins through package entry points, a scan of every installed distribution's
metadata; sphinxcontrib-bibtex asks for the plain-text backend for every citation's tooltip,
which cost seconds per build. Plugins registered at run time are found first, so this
registers the ones the guide uses, resolved once.
"""

from __future__ import annotations

import pybtex.plugin

from .references import GuideStyle

USED = [
    ("pybtex.backends", "plaintext"),
    ("pybtex.backends", "docutils"),
    ("pybtex.database.input", "bibtex"),
    ("pybtex.style.labels", "number"),
    ("pybtex.style.names", "last"),
    ("pybtex.style.names", "plain"),
    ("pybtex.style.sorting", "author_year_title"),
]


def register_plugins() -> None:
    """Resolve the plugins the guide uses once, and register the guide's reference style."""
    for group, name in USED:
        pybtex.plugin.register_plugin(group, name, pybtex.plugin.find_plugin(group, name),
                                      force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "guide", GuideStyle)
