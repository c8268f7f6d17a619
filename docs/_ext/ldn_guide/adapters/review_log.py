"""``{review-log}``: the review log table, from docs/data/review-log.yaml (or the file the
directive names: ``{review-log} review-log-2/part-1.yaml``)."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..report import Subtype, warn_problems
from ..rules import review_log


class ReviewLog(SphinxDirective):
    """One row per finding: ID, what the review said, our status and response."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        data_dir = Path(self.env.srcdir) / "data"
        path = data_dir / (self.arguments[0] if self.arguments else "review-log.yaml")
        self.env.note_dependency(str(path))
        data, problems = review_log.load(path, data_dir / "review-log.schema.json")
        warn_problems(problems, path, Subtype.EVIDENCE)
        if data is None:
            return []
        table = nodes.table(classes=["review-log"])
        group = nodes.tgroup(cols=4)
        table += nodes.title("", f"Responses to {data['review']}")
        table += group
        for width in (8, 40, 10, 42):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += row(["Finding", "What the review said", "Status", "Our response"])
        body = nodes.tbody()
        group += body
        for finding in data["findings"]:
            body += row([finding["id"], finding["said"], finding["status"], finding["response"]],
                        ids=[f"finding-{finding['id'].lower()}"])
        return [table]


def row(cells: list[str], ids: list[str] | None = None) -> nodes.row:
    line = nodes.row(ids=ids or [])
    for text in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", text)
        line += entry
    return line
