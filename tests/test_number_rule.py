"""The number rule in the build: a page whose number is in no quoted passage of the work it
cites fails, naming the file, the line, the number and the keys searched; refs.bib that
disagrees with the record its excerpt file quotes fails too."""

from __future__ import annotations

import re

from conftest import FRONT_MATTER, GOOD_INDEX, sphinx_build

EXCERPT = """work: smith2020
record:
  authors: ['Smith, J']
  title: A trial
  journal: Journal of Trials
  year: 2020
  doi: 10.1000/trial.1
  seen: journal
seen:
  - id: journal
    address: https://example.org/trial
    kind: primary
    date: '2026-12-06'
excerpts:
  - text: 'Pain fell by 28.8% with the drug and by 18.0% with placebo (p = 0.016).'
    seen: journal
"""
CHAPTER = FRONT_MATTER + """# Chapter

Pain fell by 28.8% against 18.0% (p = 0.016) {cite:p}`smith2020`, about
{derived}`1.6 = 28.8 / 18.0` times as much {cite:p}`smith2020`.
"""
INDEX = GOOD_INDEX.replace("references\n", "chapter\nreferences\n")


def build(project, chapter: str = CHAPTER, excerpt: str = EXCERPT):
    root = project(pages={"index.md": INDEX, "chapter.md": chapter},
                   data={"excerpts/smith2020.yaml": excerpt})
    return sphinx_build(root)


def test_quoted_numbers_and_redone_arithmetic_pass(project):
    good = build(project)
    assert not good.failed, good.warnings
    html = (good.outdir / "chapter.html").read_text(encoding="utf-8")
    assert "about\n1.6 times" in html or "about 1.6 times" in html  # the role shows its value


def test_a_changed_p_value_stops_the_build_naming_file_line_number_and_keys(project):
    result = build(project, CHAPTER.replace("0.016", "0.026"))
    assert result.failed
    assert re.search(r"chapter\.md:8: WARNING: the number 0\.026 is in no excerpt of the works "
                     r"this sentence cites \(searched smith2020\): quote the passage that gives "
                     r"it in docs/data/excerpts/, .* \[ldn_guide\.numbers\]", result.warnings)


def test_arithmetic_that_no_longer_gives_its_value_stops_the_build(project):
    result = build(project, CHAPTER.replace("28.8 / 18.0", "28.8 / 16"))
    assert result.failed
    assert "28.8 / 16 gives 1.80, not 1.6; correct the value or the inputs" in result.warnings


def test_refs_bib_that_disagrees_with_the_record_stops_the_build(project):
    result = build(project, excerpt=EXCERPT.replace("year: 2020", "year: 2019"))
    assert result.failed
    assert re.search(r"refs\.bib:1: WARNING: refs\.bib entry smith2020: year 2020 differs from "
                     r"the record's 2019 \(smith2020\.yaml\)", result.warnings)
