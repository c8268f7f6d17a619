"""The one-page PDFs share one cleaned single page (pdf/single_page.py): each copies what it
prints, so the second page's PDF is what it would be alone, and the whole guide's is too."""

from __future__ import annotations

import dataclasses

from ldn_guide.pdf import printable, single_page
from ldn_guide.pdf.worker import WARM_UP

BODY = ('<section id="guide"><h1>Guide</h1></section>'
        '<span id="document-a"></span><section id="a"><h1>A</h1><p>Page A '
        '<span class="cite"><a href="#cite-x">X</a></span>.</p></section>'
        '<span id="document-b"></span><section id="b"><h1>B</h1><p>Page B '
        '<span class="cite"><a href="#cite-y">Y</a></span>.</p></section>'
        '<span id="document-references"></span><section id="references"><h1>References</h1>'
        '<div class="citation" id="cite-x"><p>Ref X</p></div>'
        '<div class="citation" id="cite-y"><p>Ref Y</p></div></section>')


def page_job(docname: str) -> printable.PdfJob:
    return dataclasses.replace(WARM_UP, name=docname, docname=docname)


def test_a_page_printed_after_another_is_what_it_is_alone():
    single_page.shared_cleaned_body.cache_clear()
    alone = printable.printable_html(page_job("b"), BODY)
    single_page.shared_cleaned_body.cache_clear()
    first = printable.printable_html(page_job("a"), BODY)
    second = printable.printable_html(page_job("b"), BODY)
    assert second == alone
    assert "Page A" in first[0] and "Ref X" in first[0] and "Ref Y" not in first[0]
    assert "Page B" in second[0] and "Ref Y" in second[0] and "Ref X" not in second[0]


def test_the_whole_guide_does_not_change_the_shared_body():
    single_page.shared_cleaned_body.cache_clear()
    printable.printable_html(page_job("a"), BODY)
    printable.printable_html(WARM_UP, BODY)  # the whole guide, changed in place
    assert "Page B" in printable.printable_html(page_job("b"), BODY)[0]
