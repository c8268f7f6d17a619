"""The raw-HTML policy for the guide's MyST Markdown pages.

MyST passes raw HTML in a page straight into the output. A clinical guide has no use for
scripts, embeds, forms or page-wide styles, and a handful of inline tags cover what Markdown
cannot say. ``check_raw_html`` reads the Markdown source and reports, with its line:

* a forbidden tag (script, iframe, object, embed, form, base, meta, link, style), saying why;
* any other tag that is not in ALLOWED_TAGS, and a <div> with attributes other than class;
* an inline event handler attribute (``onerror=``, ``onclick=``, ...) in any tag;
* a ``javascript:`` URL in any attribute, Markdown link, link definition or autolink.

What is raw HTML is MyST's call, not ours: the page is tokenized by markdown-it-py, built as
MyST builds it for the extensions in docs/conf.py, and only its ``html_block`` and
``html_inline`` tokens are read, with the standard library's HTMLParser. So code (fenced,
indented or inline, which includes role content such as {doc}`text <target>`), comments
(HTML and ``%``), front matter and escaped text are never mistaken for tags. Fences that hold
a MyST directive are skipped only when the directive's body is not Markdown (code, math,
toctree...): the title and body of {note}, {admonition} and the like are Markdown, so they
are tokenized in turn, and the body of {raw} is HTML itself, so it is read as HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.rules_block import make_fence_rule
from markdown_it.rules_inline import autolink, html_inline, image, link
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.substitution import substitution_plugin

from . import Problem

# The raw tags a page may use; Markdown and MyST cover everything else.
ALLOWED_TAGS = frozenset({
    "a",  # index.md links the PDFs in _static: {doc} and Markdown links only reach pages
    "abbr", "br", "details", "summary", "kbd", "small", "sub", "sup", "span",
    "div",  # with a class attribute only (styled by the guide's CSS), see DIV_ATTRIBUTES
    "figure", "figcaption", "img",
})
DIV_ATTRIBUTES = frozenset({"class"})

# Why each forbidden tag is refused, and what to do instead.
FORBIDDEN_TAGS = {
    "script": ("it runs code in the reader's browser",
               "remove it; scripts belong in the extension (html_js_files), not in a page"),
    "iframe": ("it embeds another site into the page", "link to that page instead"),
    "object": ("it embeds a plugin or an external file", "link to the file instead"),
    "embed": ("it embeds a plugin or an external file", "link to the file instead"),
    "form": ("it sends what the reader types somewhere", "remove it; the guide collects no data"),
    "base": ("it changes where every relative link on the page points", "remove it"),
    "meta": ("it changes the page's metadata or redirects it",
             "set metadata with html_meta in the page's front matter"),
    "link": ("it loads an external stylesheet or resource",
             "add stylesheets with html_css_files in conf.py"),
    "style": ("it restyles the page outside the theme",
              "use a class and the guide's CSS file (html_css_files)"),
}

# Directives whose body is not Markdown: their fences are skipped like code.
NON_MARKDOWN_DIRECTIVES = frozenset({
    "code", "code-block", "sourcecode", "code-cell", "literalinclude", "math", "toctree",
    "eval-rst", "mermaid", "graphviz",
})

# docs/conf.py's myst_enable_extensions, which the parser below mirrors (a test compares them).
MYST_EXTENSIONS = ("colon_fence", "deflist", "attrs_block", "substitution")

_DIRECTIVE = re.compile(r"\{([^}]*)\}(.*)")  # a fence's info string: {name} argument
_EVENT_HANDLER = re.compile(r"on\w+", re.IGNORECASE)


def check_raw_html(text: str) -> list[Problem]:
    """Every breach of the raw-HTML policy in a Markdown page, in line order."""
    problems: list[Problem] = []
    _check_markdown(text, 0, problems)
    return sorted(problems, key=lambda problem: problem.line)  # stable: in a line, page order


def _is_javascript_url(value: str) -> bool:
    # Browsers ignore whitespace and control characters in a URL, so "java\tscript:" runs
    # too. (Entities are decoded already: by HTMLParser in attributes, by markdown-it in links.)
    url = "".join(char for char in value if ord(char) > 0x20).lower()
    return url.startswith("javascript:")


def _parser() -> MarkdownIt:
    """markdown-it-py as myst_parser.parsers.mdit.create_md_parser builds it for MYST_EXTENSIONS
    (that module imports docutils, so it is not used), with three changes that add no syntax:
    links are kept whatever their scheme, so that a javascript: link is seen to be reported;
    link definitions are tokens; and raw HTML and links record where in the text they start."""
    md = (MarkdownIt("commonmark", {"inline_definitions": True})
          .enable("table")
          .use(front_matter_plugin)
          .use(myst_block_plugin)
          .use(myst_role_plugin)
          .use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True))
    for name, plugin in _EXTENSION_PLUGINS.items():  # in create_md_parser's order
        if name in MYST_EXTENSIONS:
            md.use(plugin)
    md.validateLink = lambda url: True
    for name, rule in (("html_inline", html_inline), ("link", link), ("image", image),
                       ("autolink", autolink)):
        md.inline.ruler.at(name, _recording_start(rule))
    return md


def _colon_fence_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence", "colon_fence", make_fence_rule(markers=(":",), token_type="colon_fence"),
        {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})


_EXTENSION_PLUGINS = {"colon_fence": _colon_fence_plugin, "deflist": deflist_plugin,
                      "substitution": substitution_plugin, "attrs_block": attrs_block_plugin}


def _recording_start(rule):
    """An inline rule that also stores, on the token it makes, the offset where it starts in
    the inline text (for the line) and whether it is an inline [text](url) form."""
    def recorded(state, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:  # the first may be pending text, flushed
            if token.type in ("html_inline", "link_open", "image"):
                token.meta.update(start=start, inline_form=state.src[state.pos - 1] == ")")
                break
        return True
    return recorded


_MD = _parser()


def _check_markdown(text: str, offset: int, problems: list[Problem]) -> None:
    """Check Markdown whose first line is line offset + 1 of the page."""
    for token in _MD.parse(text):
        line = offset + token.map[0] + 1 if token.map else offset + 1
        if token.type in ("fence", "colon_fence"):
            _check_fence(token, line, problems)
        elif token.type == "html_block":
            _check_html(token.content, line, problems)
        elif token.type == "definition" and _is_javascript_url(
                _MD.normalizeLinkText(token.meta["url"])):
            problems.append(Problem(line, _javascript_link("a Markdown link definition")))
        elif token.type == "inline":
            _check_inline(token, line, problems)


def _check_fence(token: Token, line: int, problems: list[Problem]) -> None:
    directive = _DIRECTIVE.match(token.info.strip())
    if directive is None:
        return  # code
    name = directive[1].strip().lower()
    if name in NON_MARKDOWN_DIRECTIVES:
        return
    if name == "raw":
        _check_html(token.content, line + 1, problems)
        return
    _check_markdown(directive[2].strip(), line - 1, problems)  # the title of an admonition
    _check_markdown(token.content, line, problems)


def _check_inline(token: Token, line: int, problems: list[Problem]) -> None:
    for child in token.children or []:
        if "start" not in child.meta:
            continue
        child_line = line + token.content.count("\n", 0, child.meta["start"])
        if child.type == "html_inline":
            _check_html(child.content, child_line, problems)
            continue
        url = _MD.normalizeLinkText(child.attrGet("href") or child.attrGet("src") or "")
        if child.markup == "autolink":
            where = "an autolink"
        elif child.meta["inline_form"]:
            where = "a Markdown link"
        else:
            continue  # [text][label]: its definition is checked
        if _is_javascript_url(url):
            problems.append(Problem(child_line, _javascript_link(where)))


def _javascript_link(where: str) -> str:
    return f"javascript: URL in {where} is not allowed (fix: link to a page or an https:// address)"


class _StartTags(HTMLParser):
    """The start tags of an HTML fragment: (line in the fragment, tag, attributes, source)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list[tuple[str, str | None]], str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((self.getpos()[0], tag, attrs, self.get_starttag_text() or ""))


def _check_html(fragment: str, line: int, problems: list[Problem]) -> None:
    """Check raw HTML whose first line is line `line` of the page."""
    parser = _StartTags()
    parser.feed(fragment)
    if parser.rawdata.startswith("<!--"):  # feed() keeps back what it cannot finish yet
        problems.append(Problem(line + parser.getpos()[0] - 1,
                                "<!-- is never closed, so the rest of the page is hidden "
                                "(fix: end the comment with -->)"))
    allowed = ", ".join(sorted(ALLOWED_TAGS))
    for tag_line, name, attributes, source in parser.tags:
        tag_line += line - 1
        if name in FORBIDDEN_TAGS:
            why, fix = FORBIDDEN_TAGS[name]
            problems.append(Problem(tag_line, f"raw <{name}> is forbidden: {why} (fix: {fix})"))
        elif name not in ALLOWED_TAGS:
            problems.append(Problem(tag_line, f"raw <{name}> is not allowed here; allowed: "
                                    f"{allowed} (fix: use Markdown or a MyST directive instead)"))
        for attribute, value in attributes:
            message = _attribute_problem(name, attribute, value)
            if message:
                problems.append(Problem(tag_line + _line_in_tag(source, attribute), message))


def _attribute_problem(name: str, attribute: str, value: str | None) -> str | None:
    if _EVENT_HANDLER.fullmatch(attribute) and value is not None:
        return (f"inline event handler {attribute}= in <{name}> is not allowed "
                "(fix: remove it; a page runs no scripts)")
    if value is not None and _is_javascript_url(value):
        return (f"javascript: URL in the {attribute} attribute of <{name}> is "
                "not allowed (fix: link to a page or an https:// address)")
    if name == "div" and attribute not in DIV_ATTRIBUTES:
        return (f"<div> may only have a class attribute, not {attribute} (fix: "
                "put the styling in a class in the guide's CSS)")
    return None


def _line_in_tag(source: str, attribute: str) -> int:
    """How many lines into a (multi-line) start tag the attribute is written."""
    written = re.search(rf"\s{re.escape(attribute)}(?![^\s/>=])", source, re.IGNORECASE)
    return source.count("\n", 0, written.start() + 1) if written else 0
