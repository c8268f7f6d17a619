"""rules.raw_html: each fixture has one fault, reported with its exact line and message."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from ldn_guide.rules import Problem, raw_html
from ldn_guide.rules.raw_html import ALLOWED_TAGS, FORBIDDEN_TAGS, MYST_EXTENSIONS, check_raw_html

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
ALLOWED = ", ".join(sorted(ALLOWED_TAGS))
JS_LINK_FIX = "(fix: link to a page or an https:// address)"

# Each fixture puts its one fault on line 3, after two ordinary lines.
INTRO = "# A page\n\n"

# (id, Markdown after INTRO, message)
FAULTS = [
    ("script", "<script>alert(1)</script>",
     "raw <script> is forbidden: it runs code in the reader's browser (fix: remove it; scripts "
     "belong in the extension (html_js_files), not in a page)"),
    ("script-uppercase", "Text <SCRIPT SRC=x.js></SCRIPT>",
     "raw <script> is forbidden: it runs code in the reader's browser (fix: remove it; scripts "
     "belong in the extension (html_js_files), not in a page)"),
    ("iframe", '<iframe src="https://example.org"></iframe>',
     "raw <iframe> is forbidden: it embeds another site into the page (fix: link to that page "
     "instead)"),
    ("object", '<object data="x.swf"></object>',
     "raw <object> is forbidden: it embeds a plugin or an external file (fix: link to the "
     "file instead)"),
    ("embed", '<embed src="x.pdf">',
     "raw <embed> is forbidden: it embeds a plugin or an external file (fix: link to the file "
     "instead)"),
    ("form", '<form action="https://example.org">',
     "raw <form> is forbidden: it sends what the reader types somewhere (fix: remove it; the "
     "guide collects no data)"),
    ("base", '<base href="https://example.org/">',
     "raw <base> is forbidden: it changes where every relative link on the page points (fix: "
     "remove it)"),
    ("meta", '<meta http-equiv="refresh" content="0; url=https://example.org">',
     "raw <meta> is forbidden: it changes the page's metadata or redirects it (fix: set "
     "metadata with html_meta in the page's front matter)"),
    ("link", '<link rel="stylesheet" href="x.css">',
     "raw <link> is forbidden: it loads an external stylesheet or resource (fix: add "
     "stylesheets with html_css_files in conf.py)"),
    ("style", "<style>body { color: red }</style>",
     "raw <style> is forbidden: it restyles the page outside the theme (fix: use a class and "
     "the guide's CSS file (html_css_files))"),
    ("event-handler", '<img src="x.png" alt="x" onerror="alert(1)">',
     "inline event handler onerror= in <img> is not allowed (fix: remove it; a page runs no "
     "scripts)"),
    ("event-handler-unquoted-mixed-case", "<span OnMouseOver=alert(1)>x</span>",
     "inline event handler onmouseover= in <span> is not allowed (fix: remove it; a page runs "
     "no scripts)"),
    ("javascript-in-attribute", '<a href="javascript:alert(1)">x</a>',
     "javascript: URL in the href attribute of <a> is not allowed " + JS_LINK_FIX),
    ("javascript-obfuscated", "<a href=' JaVa&#x53;cript:alert(1)'>x</a>",
     "javascript: URL in the href attribute of <a> is not allowed " + JS_LINK_FIX),
    ("javascript-markdown-link", "See [this](javascript:alert(1)).",
     "javascript: URL in a Markdown link is not allowed " + JS_LINK_FIX),
    ("javascript-markdown-image", "![x](JAVASCRIPT:alert(1))",
     "javascript: URL in a Markdown link is not allowed " + JS_LINK_FIX),
    ("javascript-link-definition", "[x]: javascript:alert(1)",
     "javascript: URL in a Markdown link definition is not allowed " + JS_LINK_FIX),
    ("javascript-autolink", "<javascript:alert(1)>",
     "javascript: URL in an autolink is not allowed " + JS_LINK_FIX),
    ("other-tag", "<center>x</center>",
     f"raw <center> is not allowed here; allowed: {ALLOWED} (fix: use Markdown or a MyST "
     "directive instead)"),
    ("div-with-style", '<div class="note" style="color: red">x</div>',
     "<div> may only have a class attribute, not style (fix: put the styling in a class in "
     "the guide's CSS)"),
    ("tag-inside-markdown-directive", "```{note}\n<script>x</script>\n```",
     "raw <script> is forbidden: it runs code in the reader's browser (fix: remove it; scripts "
     "belong in the extension (html_js_files), not in a page)"),
    ("raw-directive", "```{raw} html\n<iframe src=x></iframe>\n```",
     "raw <iframe> is forbidden: it embeds another site into the page (fix: link to that page "
     "instead)"),
    ("unclosed-comment", "<!-- a note\n\n<script>x</script>",
     "<!-- is never closed, so the rest of the page is hidden (fix: end the comment with -->)"),
]


def _line_of_fault(body: str) -> int:
    """The fault is on the first line of the body, or on the line after an opening fence."""
    return 3 + (1 if body.startswith("```") else 0)


@pytest.mark.parametrize(("body", "message"), [case[1:] for case in FAULTS],
                         ids=[case[0] for case in FAULTS])
def test_each_fault_is_reported_once_with_its_line(body: str, message: str):
    assert check_raw_html(INTRO + body + "\n") == [Problem(_line_of_fault(body), message)]


def test_the_fault_line_is_counted_through_code_and_comments():
    text = ("Intro\n```python\nx = '<script>'\n```\n<!-- a\nmulti-line comment -->\n"
            "`<iframe>` in code\n<form>\n")
    assert [problem.line for problem in check_raw_html(text)] == [8]


SCRIPT = FAULTS[0][2]
IFRAME = FAULTS[2][2]

# Where markdown-it-py (MyST's tokenizer) and a hand-made scan of the source disagree:
# (id, page, line, message).
TOKENIZED_FAULTS = [
    ("script-in-list-item", "- item\n- <script>x</script>\n", 2, SCRIPT),
    ("script-in-colon-fence-note", ":::{note}\nText\n\n<script>x</script>\n:::\n", 4, SCRIPT),
    ("script-in-admonition-title", ":::{admonition} Title <script>x</script>\nText\n:::\n", 1,
     SCRIPT),
    ("backtick-in-attribute", '<img alt="`" onerror="alert(1)" src="x.png"> and `code`\n', 1,
     "inline event handler onerror= in <img> is not allowed (fix: remove it; a page runs no "
     "scripts)"),
    ("attribute-on-a-later-line", 'Text\n<img src="x.png"\n  alt="x"\n  onerror="a">\n', 4,
     "inline event handler onerror= in <img> is not allowed (fix: remove it; a page runs no "
     "scripts)"),
    ("after-a-code-span-over-two-lines", "A `code\nspan` b\n<iframe>\n", 3, IFRAME),
    ("in-a-table-cell", "| a | b |\n|---|---|\n| x | <iframe> |\n", 3, IFRAME),
    ("in-a-footnote", "Text[^1]\n\n[^1]: Note <iframe>\n", 3, IFRAME),
    # MyST decodes the link's %09 back to a tab, and a browser drops the tab.
    ("javascript-percent-encoded-tab", "[x](java%09script:alert(1))\n", 1,
     "javascript: URL in a Markdown link is not allowed " + JS_LINK_FIX),
    # Only the definition is reported, not each [text][label] that uses it.
    ("javascript-reference-used", "[a][x], ![b][x]\n\n[x]: <javascript:alert(1)>\n", 3,
     "javascript: URL in a Markdown link definition is not allowed " + JS_LINK_FIX),
]


@pytest.mark.parametrize(("text", "line", "message"), [case[1:] for case in TOKENIZED_FAULTS],
                         ids=[case[0] for case in TOKENIZED_FAULTS])
def test_each_fault_is_found_where_myst_sees_html(text: str, line: int, message: str):
    assert check_raw_html(text) == [Problem(line, message)]


def test_the_parser_has_the_guides_myst_extensions():
    conf = ast.parse((DOCS / "conf.py").read_text(encoding="utf-8"))
    (value,) = [node.value for node in conf.body if isinstance(node, ast.Assign)
                and any(getattr(t, "id", None) == "myst_enable_extensions" for t in node.targets)]
    assert tuple(ast.literal_eval(value)) == MYST_EXTENSIONS
    assert set(MYST_EXTENSIONS) <= set(raw_html._EXTENSION_PLUGINS)  # each one is built in


def test_every_forbidden_tag_is_named_in_its_message():
    for tag in FORBIDDEN_TAGS:
        (problem,) = check_raw_html(f"<{tag}>")
        assert problem.message.startswith(f"raw <{tag}> is forbidden: ")


# Markdown that must pass.
ALLOWED_MARKDOWN = [
    ("allowed-tags", "A<br>B<br/>H<sub>2</sub>O, x<sup>2</sup>, <kbd>Ctrl</kbd>, "
                     '<small>s</small>, <abbr title="low-dose naltrexone">LDN</abbr>'),
    ("details", "<details>\n<summary>More</summary>\n\nText\n</details>"),
    ("figure", '<figure>\n<img src="x.png" alt="A chart">\n<figcaption>C</figcaption>\n</figure>'),
    ("div-with-class", '<div class="wallet-card">\n\nText\n\n</div>'),
    ("pdf-link", 'The <a href="pdf/ldn-provider-guide.pdf">whole guide (PDF)</a>.'),
    ("span-with-class", '<span class="grade">low</span>'),
    ("comment", "Cure <!-- banned-claims: allow --> and <!-- <script> -->"),
    ("fenced-backticks", "```html\n<script>alert(1)</script>\n<iframe>\n```"),
    ("fenced-tildes", "~~~\n<form onsubmit=x>\n~~~"),
    ("fenced-longer-close", "````\n<script>\n```\nstill code <style>\n`````"),
    ("code-directive", "```{code-block} html\n<script>x</script>\n```"),
    ("toctree", "```{toctree}\nIntro <intro>\nDosing <ldn/dosing>\n```"),
    ("code-inside-note", "````{note}\n```html\n<script>\n```\nText\n````"),
    ("inline-code", "Write `<script>` or ``a `<iframe>` b`` in prose."),
    ("role-with-target", "The {doc}`grading key <about/grading>` and {term}`GRADE <grade>`."),
    ("autolinks", "<https://example.org>, <mailto:a@example.org> and <a@example.org>"),
    ("comparisons", "If dose < 4.5 mg or x<5 or a <= b, then 3 > 2."),
    ("escaped", "Type \\<script> to show it."),
    ("event-word-outside-tag", "Tap [here](https://example.org/?onclick=1) onload=x"),
    ("https-link", "[a](https://example.org) and [b]: <https://example.org>"),
    # Not raw HTML for MyST either, though a scan of the source would say so.
    ("indented-code", "Text\n\n    <script>alert(1)</script>"),
    ("colon-fence-code", ":::{code-block} html\n<script>x</script>\n:::"),
    ("myst-line-comment", "% <script> is not written out\nText"),
    ("front-matter", "---\nhtml_meta:\n  description: <script>\n---\n# Page"),
    ("unclosed-comment-in-a-paragraph", "A <!-- is text when it has no end\n\nMore."),
]


@pytest.mark.parametrize("text", [case[1] for case in ALLOWED_MARKDOWN],
                         ids=[case[0] for case in ALLOWED_MARKDOWN])
def test_allowed_markdown_has_no_problems(text: str):
    assert check_raw_html(text) == []


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_every_real_page_passes(page: Path):
    assert check_raw_html(page.read_text(encoding="utf-8")) == []


def test_the_real_pages_were_found():
    assert len(PAGES) >= 10
