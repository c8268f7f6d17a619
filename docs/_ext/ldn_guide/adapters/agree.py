"""``{agree-table}``: the AGREE II table from docs/data/agree.yaml (:mod:`ldn_guide.rules.agree`).

The directive reports the file's faults (items missing, twice, out of order or in the wrong
domain) at their lines; :func:`check_targets` (env-check-consistency, when every page and label
is known) reports each link target that does not exist. Targets are rendered as ``{doc}`` and
``{ref}`` roles, so Sphinx resolves them like any other cross-reference.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from ..report import Subtype, warn_problems
from ..rules import agree


def paths(srcdir) -> tuple[Path, Path]:
    data = Path(srcdir) / "data"
    return data / "agree.yaml", data / "agree.schema.json"


def load(srcdir):
    path, schema = paths(srcdir)
    return agree.load_agree(path, json.loads(schema.read_text(encoding="utf-8")))


def escape(text: str) -> str:
    return "".join(f"\\{char}" if char in "*_`[]<>{}|\\" else char for char in text)


class AgreeTable(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        path, schema = paths(self.env.srcdir)
        self.env.note_dependency(str(path))
        self.env.note_dependency(str(schema))
        data, problems, _ = load(self.env.srcdir)
        warn_problems(problems, path, Subtype.SEARCHES)
        if data is None:
            return []
        lines = [":::{list-table} The guide against AGREE II", ":header-rows: 1",
                 ":widths: 5 30 9 20 36", ":class: agree-table", "",
                 "* - Item", "  - AGREE II says", "  - Status", "  - Where", "  - What is there"]
        domain = None
        for entry in data["items"]:
            text = escape(entry["text"])
            if entry["domain"] != domain:
                domain = entry["domain"]
                text = f"**{escape(domain)}.** {text}"
            where = "; ".join(self.link(target) for target in entry.get("where", [])
                              ) or "no page"
            lines += [f"* - {entry['item']}", f"  - {text}",
                      f"  - {agree.STATUS[entry['status']]}", f"  - {where}",
                      f"  - {escape(entry['note'])}"]
        lines.append(":::")
        container = nodes.container(classes=["agree-table-wrapper"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]),
                                self.content_offset, container)
        return [container]

    def link(self, target: dict) -> str:
        """A cross-reference role; a page that does not exist as plain text (check_targets
        names it at its line in agree.yaml, once)."""
        if "ref" in target:
            return f"{{ref}}`{target['ref']}`"
        if target["doc"] in self.env.found_docs:
            return f"{{doc}}`/{target['doc']}`"
        return escape(target["doc"])


def check_targets(app, env) -> None:
    """Every page and section the AGREE II table names exists (all pages read by now)."""
    path, _ = paths(app.srcdir)
    if not path.exists():
        return
    data, _, lines = load(app.srcdir)  # its other faults: reported by the directive
    if data is None:
        return
    labels = env.domaindata["std"]["labels"]
    warn_problems(agree.check_targets(data, lines, env.found_docs, labels), path,
                  Subtype.SEARCHES)
