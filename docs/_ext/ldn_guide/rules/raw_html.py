"""The raw-HTML policy for the guide's MyST Markdown pages.

MyST passes raw HTML in a page straight into the output. A clinical guide has no use for
scripts, embeds, forms or page-wide styles, and a handful of inline tags cover what Markdown
cannot say. ``check_raw_html`` scans the Markdown source and reports, with its line:

* a forbidden tag (script, iframe, object, embed, form, base, meta, link, style), saying why;
* any other tag that is not in ALLOWED_TAGS, and a <div> with attributes other than class;
* an inline event handler attribute (``onerror=``, ``onclick=``, ...) in any tag;
* a ``javascript:`` URL in any attribute, Markdown link, link definition or autolink.

Code is not HTML, so fenced code blocks and inline code spans (which includes role content
such as {doc}`text <target>`) are skipped, as are HTML comments (``<!-- banned-claims:
allow -->``). Fences that hold a MyST directive are skipped only when the directive's body is
not Markdown (code, math, toctree...): the body of {note}, {admonition} and the like is
rendered as Markdown, and the body of {raw} is HTML itself, so both are checked.
"""

from __future__ import annotations

import html
import re

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

# A fence line: up to any indentation (fences in list items are indented), three or more
# backticks or tildes, then the info string.
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
# A tag: "<" or "</", a name, then whitespace, ">", "/>" or the end of the line. The last
# condition keeps autolinks (<https://...>) and role targets (<about/grading>) out.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=\s|/?>|$)", re.MULTILINE)
# One attribute: a name, optionally = and a double-quoted, single-quoted or bare value.
_ATTRIBUTE = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_EVENT_HANDLER = re.compile(r"on\w+", re.IGNORECASE)
# Markdown link destinations: [text](url), [label]: url and <scheme:...> autolinks.
_INLINE_LINK = re.compile(r"\]\(\s*<?([^\s)>]+)")
_LINK_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")


def check_raw_html(text: str) -> list[Problem]:
    """Every breach of the raw-HTML policy in a Markdown page, in line order."""
    prose, unclosed_comment = _mask_code_and_comments(text)
    problems: list[tuple[int, Problem]] = []  # (offset, problem), sorted at the end

    def report(offset: int, message: str) -> None:
        problems.append((offset, Problem(prose.count("\n", 0, offset) + 1, message)))

    if unclosed_comment is not None:
        report(unclosed_comment, "<!-- is never closed, so the rest of the page is hidden "
                                 "(fix: end the comment with -->)")

    allowed = ", ".join(sorted(ALLOWED_TAGS))
    for tag in _TAG.finditer(prose):
        closing, name = tag[1], tag[2].lower()
        if closing:
            continue  # the opening tag is the one reported
        if name in FORBIDDEN_TAGS:
            why, fix = FORBIDDEN_TAGS[name]
            report(tag.start(), f"raw <{name}> is forbidden: {why} (fix: {fix})")
        elif name not in ALLOWED_TAGS:
            report(tag.start(), f"raw <{name}> is not allowed here; allowed: {allowed} "
                                "(fix: use Markdown or a MyST directive instead)")
        for offset, attribute, value in _attributes(prose, tag.end()):
            lowered = attribute.lower()
            if _EVENT_HANDLER.fullmatch(lowered) and value is not None:
                report(offset, f"inline event handler {lowered}= in <{name}> is not allowed "
                               "(fix: remove it; a page runs no scripts)")
            elif value is not None and _is_javascript_url(value):
                report(offset, f"javascript: URL in the {lowered} attribute of <{name}> is "
                               "not allowed (fix: link to a page or an https:// address)")
            elif name == "div" and lowered not in DIV_ATTRIBUTES:
                report(offset, f"<div> may only have a class attribute, not {lowered} (fix: "
                               "put the styling in a class in the guide's CSS)")

    for pattern, where in ((_INLINE_LINK, "a Markdown link"),
                           (_LINK_DEFINITION, "a Markdown link definition"),
                           (_AUTOLINK, "an autolink")):
        for link in pattern.finditer(prose):
            if _is_javascript_url(link[1]):
                report(link.start(1), f"javascript: URL in {where} is not allowed (fix: link "
                                      "to a page or an https:// address)")

    return [problem for _, problem in sorted(problems, key=lambda item: item[0])]


def _is_javascript_url(value: str) -> bool:
    # Browsers decode entities and ignore whitespace and control characters in a URL, so
    # "jav&#x61;script:" and "java\tscript:" run too.
    url = html.unescape(value).replace("\\", "")
    url = "".join(char for char in url if ord(char) > 0x20).lower()
    return url.startswith("javascript:")


def _attributes(prose: str, pos: int) -> list[tuple[int, str, str | None]]:
    """(offset, name, value or None) of each attribute of the tag whose name ends at pos."""
    found = []
    while pos < len(prose):
        char = prose[pos]
        if char == ">":
            break
        if char.isspace() or char in "/\"'=":  # separators and stray characters
            pos += 1
            continue
        attribute = _ATTRIBUTE.match(prose, pos)
        value = next((group for group in attribute.groups()[1:] if group is not None), None)
        found.append((pos, attribute[1], value))
        pos = attribute.end()
    return found


def _mask_code_and_comments(text: str) -> tuple[str, int | None]:
    """The text with code and HTML comments blanked out (newlines stay, so offsets and line
    numbers are unchanged), and the offset of an HTML comment that is never closed."""
    return _mask_spans_and_comments(_mask_fences(text))


def _mask_fences(text: str) -> str:
    lines = text.split("\n")
    # Open fences, innermost last: (fence character, length, whether the body is skipped).
    # A directive fence with a Markdown body stays open so that its closing line is known.
    fences: list[tuple[str, int, bool]] = []
    for number, line in enumerate(lines):
        fence = _FENCE.fullmatch(line)
        is_close = bool(fence and fences and fence[1][0] == fences[-1][0]
                        and len(fence[1]) >= fences[-1][1] and not fence[2].strip())
        if fences and fences[-1][2]:  # inside code: only its closing fence matters
            if is_close:
                fences.pop()
            lines[number] = ""
        elif is_close:
            fences.pop()
            lines[number] = ""
        elif fence and not (fence[1][0] == "`" and "`" in fence[2]):
            # (An info string with a backtick makes it inline code, not a fence.)
            info = fence[2].strip()
            directive = re.match(r"\{([^}]*)\}", info)
            skip = directive is None or directive[1].strip().lower() in NON_MARKDOWN_DIRECTIVES
            fences.append((fence[1][0], len(fence[1]), skip))
            lines[number] = ""
    return "\n".join(lines)


def _mask_spans_and_comments(text: str) -> tuple[str, int | None]:
    chars = list(text)
    unclosed_comment = None

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "\\":  # an escaped character (\< or \`) is literal text
            blank(pos, min(pos + 2, len(text)))
            pos += 2
        elif char == "`":
            run = re.compile(r"`+").match(text, pos)
            ticks = run.end() - pos
            # A code span ends at the next run of exactly as many backticks, within the
            # paragraph; without one the backticks are literal.
            paragraph_end = re.compile(r"\n[ \t]*\n").search(text, run.end())
            limit = paragraph_end.start() if paragraph_end else len(text)
            close = re.compile(rf"(?<!`)`{{{ticks}}}(?!`)").search(text, run.end(), limit)
            end = close.end() if close else run.end()
            if close:
                blank(pos, end)
            pos = end
        elif text.startswith("<!--", pos):
            close = text.find("-->", pos + 4)
            if close == -1:
                unclosed_comment = pos
            end = len(text) if close == -1 else close + 3
            blank(pos, end)
            pos = end
        else:
            pos += 1
    return "".join(chars), unclosed_comment
