"""Look up each pybtex plugin once per build instead of once per citation.

pybtex finds plugins through package entry points, a scan of every installed distribution's
metadata; sphinxcontrib-bibtex asks for the plain-text backend for every citation's tooltip,
which cost seconds per build. Plugins registered at run time are found first, so this
registers the ones the guide uses, resolved in one scan.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import pybtex.plugin
import sphinxcontrib.bibtex.plugin

from .references import GuideReferenceStyle, GuideStyle

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
    """Resolve the plugins the guide uses in one entry-point scan, and register the guide's
    reference style.

    pybtex 0.26's ``register_plugin`` and ``find_plugin`` each scan every installed
    distribution again (15 scans for these, about half a second of every build, a third of a
    no-change rebuild's start-up). One scan here; the classes go into pybtex's table of run-time
    plugins, ``pybtex.plugin._RUNTIME_PLUGINS``, which ``find_plugin`` consults first (what
    ``register_plugin(..., force=True)`` writes; no public way without the scan, and no upstream
    issue found; ``tests/test_internals.py`` checks the table still works so).
    """
    found = {(point.group, point.name): point for point in entry_points()
             if point.group.startswith("pybtex.")}
    runtime = pybtex.plugin._RUNTIME_PLUGINS
    for group, name in USED:
        point = found.get((group, name))
        klass = point.load() if point else pybtex.plugin.find_plugin(group, name)
        runtime.setdefault(group, {})[name] = klass
    runtime.setdefault("pybtex.style.formatting", {})["guide"] = GuideStyle
    # The citations' style (bibtex_reference_style = "guide"), found without a scan by name.
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "guide", GuideReferenceStyle, force=True)
