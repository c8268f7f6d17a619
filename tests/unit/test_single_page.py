"""The single page cleaned for print (pdf/single_page.py): each step, in its order."""

from __future__ import annotations

from ldn_guide.conventions import AUTO_CAPTION_CLASS
from ldn_guide.pdf.single_page import KEEP_TOGETHER_CHARACTERS, cleaned_body

PAGE = (
    '<span id="document-a"></span><section id="id1"><h1>A<a class="headerlink" href="#id1">¶</a>'
    '</h1><p id="id1">again</p><p><a href="#document-references#cite-x">X</a></p>'
    '<div class="table-wrapper" role="region" tabindex="0" aria-label="T"><table>'
    f'<caption class="{AUTO_CAPTION_CLASS}"><span id="id2">{"long " * 400}</span></caption>'
    '<tr><td>short</td></tr></table></div>'
    '<figure><svg xmlns="http://www.w3.org/2000/svg"><title>Plot</title>'
    '<a href="#document-x#y"><text id="id2">1</text></a></svg></figure></section>')


def test_each_cleaning_step():
    body = cleaned_body(PAGE)
    assert body.find("a", class_="headerlink") is None
    assert [tag["id"] for tag in body.find_all("p", id=True)] == ["id1-again"]
    assert body.find("caption") is None
    wrapper = body.find("div", class_="table-wrapper")
    # measured without the generated caption (2,000 characters): short enough to keep whole
    assert "keep-together" in wrapper["class"] and "role" not in wrapper.attrs
    assert len("long " * 400) > KEEP_TOGETHER_CHARACTERS
    image = body.find("img")
    assert image["alt"] == "Plot" and image["src"].startswith("data:image/svg+xml;base64,")
    assert body.find("p").find_next("a")["href"] == "#cite-x"


def test_a_long_table_is_not_kept_together():
    body = cleaned_body('<div class="table-wrapper"><table><tr><td>'
                        f'{"x" * KEEP_TOGETHER_CHARACTERS}</td></tr></table></div>')
    assert "keep-together" not in body.div["class"]
