"""The number rule (rules/numbers.py) and the excerpt files (rules/excerpts.py), without Sphinx;
each fault case changes one thing and asserts the message."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from ldn_guide.rules import excerpts, numbers

DATA = Path(__file__).resolve().parents[2] / "docs" / "data"
SCHEMA = json.loads((DATA / excerpts.SCHEMA).read_text(encoding="utf-8"))
EXCERPT = """work: smith2020
record:
  authors: ['Smith, J', 'Jones, A']
  title: 'A 12-week trial'
  journal: Journal of Trials
  year: 2020
  doi: 10.1000/trial.1
  pmid: '123'
  seen: pubmed
seen:
  - id: pubmed
    address: https://pubmed.ncbi.nlm.nih.gov/123/
    kind: primary
    date: '2026-12-06'
excerpts:
  - text: 'Thirty-one women took 4.5 mg; pain fell 28.8% against 18.0% (p = .016).'
    seen: pubmed
    where: abstract
"""
PAGE = "Smith 2020 gave 4.5 mg to 31 women for 12 weeks; pain fell 28.8% against 18.0% " \
       "(p = 0.016) {cite:p}`smith2020`. About {derived}`6.4 = 28.8 / 4.5` % per mg " \
       "{cite:p}`smith2020`.\n"


def work(tmp_path: Path, text: str = EXCERPT):
    path = tmp_path / "smith2020.yaml"
    path.write_text(text, encoding="utf-8")
    return excerpts.load_work(path, SCHEMA)


@pytest.fixture
def works(tmp_path):
    loaded, problems = work(tmp_path)
    assert problems == []
    return {"smith2020": loaded}


def test_a_passage_gives_its_numbers_in_digits_and_words():
    assert excerpts.numbers_in("Thirty-one of 1,024 (−0.86; p = .016), the sixth") == {
        Decimal(31), Decimal(1024), Decimal("0.86"), Decimal("0.016"), Decimal(6)}


@pytest.mark.parametrize("word", sorted(excerpts.WORDS))
def test_every_number_word_is_read_whole(word):
    """NUMBER_WORD is built from its parts, not from WORDS: each word, in any case, is one
    match worth its number ("seventy-seven" is 77, not 70 and 7)."""
    for text in (word, word.upper(), f"({word.capitalize()})"):
        assert excerpts.numbers_in(text) == {Decimal(excerpts.WORDS[word])}, text


def test_a_page_whose_numbers_are_all_quoted_passes(works):
    problems, counts = numbers.check_page(PAGE, works)
    assert problems == []
    assert counts == numbers.Counts(checked=7, unchecked=0)  # 4.5 31 12 28.8 18.0 0.016, 6.4


def test_a_changed_p_value_fails_naming_the_number_and_the_keys(works):
    problems, _ = numbers.check_page("Intro.\n\n" + PAGE.replace("0.016", "0.017"), works)
    assert [(problem.line, problem.message.split(":")[0]) for problem in problems] == [
        (3, "the number 0.017 is in no excerpt of the works this sentence cites (searched "
            "smith2020)")]


def test_a_derived_number_whose_inputs_no_longer_give_it_fails(works):
    problems, _ = numbers.check_page(PAGE.replace("28.8 / 4.5", "28.8 / 4"), works)
    assert len(problems) == 2, problems
    assert "28.8 / 4 gives 7.20, not 6.4; correct the value or the inputs" in problems[0].message
    assert "the number 4 is in no excerpt" in problems[1].message  # and 4 is nobody's number


def test_names_identifiers_and_roles_are_not_numbers():
    stated, _ = numbers.stated_numbers(
        "HAM-D-17, GAD-7, FM-1, NCT00568555, RoB 2, PRISMA 2020, Bruun et al. 2024 and "
        "{ref}`FM-2 <x>` scored 3 {cite:p}`a2020`")
    assert stated == ["3"]


def test_a_changed_n_in_a_condition_file_fails_at_its_field(works):
    data = {"studies": {"smith2020": {"n": 31, "dose": "4.5 mg", "duration": "12 weeks"}},
            "outcomes": {"pain": {"studies": ["smith2020"],
                                  "narrative": "1 trial, 31 people: pain fell 28.8%.",
                                  "derived": {"1": "31 / 31"}}}}
    assert numbers.check_condition(data, works)[0] == []
    data["studies"]["smith2020"]["n"] = 32
    problems, _ = numbers.check_condition(data, works)
    assert [(path, message.split(" is in")[0]) for path, message in problems] == [
        (("studies", "smith2020", "n"), "the number 32")]


def test_a_number_citing_a_work_without_excerpts_is_counted_unchecked(works):
    problems, counts = numbers.check_page("It gave 99 mg {cite:p}`smith2020,other2021`.\n",
                                          works)
    assert problems == [] and counts == numbers.Counts(checked=0, unchecked=1)


@pytest.mark.parametrize(("change", "line", "message"), [
    (("kind: primary", "kind: official"), 11, "seen/0/kind: 'official' is not one of"),
    (("    seen: pubmed\n    where", "    seen: journal\n    where"), 16,
     "excerpt 1 was seen on 'journal', which is not in 'seen' (pubmed)"),
    (("work: smith2020", "work: smith2021"), 1, "work 'smith2021' is in smith2020.yaml"),
    (("date: '2026-12-06'", "date: 2026-12-06"), 11,
     "seen/0/date: datetime.date(2026, 12, 6) is not of type 'string'"),
])
def test_a_faulty_excerpt_file_is_reported_with_its_line(tmp_path, change, line, message):
    loaded, problems = work(tmp_path, EXCERPT.replace(*change))
    assert loaded is None and len(problems) == 1
    assert problems[0].message.startswith(message), problems[0].message
    assert problems[0].line == line


def test_refs_bib_is_compared_with_the_record(works):
    record = works["smith2020"].record
    fields = {"title": "A 12-week trial", "year": "2020", "doi": "10.1000/trial.1",
              "pmid": "123"}
    assert excerpts.bib_disagreements(fields, ["Smith, Jane", "Jones, Ann"], record) == []
    # "and others" stands for the rest of the record's list; a translation may follow a title.
    assert excerpts.bib_disagreements({**fields, "title": "A 12-week trial [Ein Versuch]"},
                                      ["Smith, Jane", "others"], record) == []
    assert excerpts.bib_disagreements({**fields, "year": "2021", "pmid": "124"},
                                      ["Smith, Jane", "Brown, Ann"], record) == [
        "authors Smith; Brown differ from the record's Smith; Jones",
        "year 2021 differs from the record's 2020",
        "pmid 124 differs from the record's 123"]


def test_the_guides_excerpt_files_are_valid_and_each_names_a_cited_work():
    loaded, problems = excerpts.load_all(DATA)
    assert [f"{path.name}:{problem.line}: {problem.message}" for path, problem in problems] == []
    bib = (DATA.parents[1] / "refs.bib").read_text(encoding="utf-8")
    assert sorted(key for key in loaded if f"{{{key}," not in bib) == []


def test_every_number_the_guide_cites_is_quoted_and_the_readme_says_how_many():
    """Issue 23's acceptance: 100 % of the cited numbers pass, every cited work has its excerpt
    file, and the README gives the count the rule checks."""
    import re

    problems, counts = numbers.check_guide(DATA.parent)
    assert problems == [], "\n".join(problems[:20])
    assert counts.unchecked == 0, "numbers citing a work without an excerpt file"
    readme = (DATA.parents[1] / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"The rule now\s+checks ([\d,]+) numbers, and every one passes", readme)
    assert stated and int(stated[1].replace(",", "")) == counts.checked, (
        f"README: say the rule checks {counts.checked:,} numbers")
    # The README's command prints the same count.
    command = re.search(r"`cd docs/_ext && (python -m ldn_guide\.rules\.numbers \.\./\.\./docs)`",
                        readme)
    assert command
    result = subprocess.run([sys.executable, *command[1].split()[1:]], cwd=DATA.parents[1] /
                            "docs" / "_ext", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.startswith(f"{counts.checked} numbers checked, 0 without"), result.stdout


def test_the_number_pattern_matches_numbers_only():
    """NUMBER finds the same numbers without matching the empty string at every character
    (which made the excerpt files' loading ten times slower)."""
    text = "n = 1,234; 12.5 mg, .016 and 4.5mg; NCT00568555, GAD-7; 12. Then."
    matches = [match.group() for match in excerpts.NUMBER.finditer(text)]
    assert matches == ["1,234", "12.5", ".016", "4.5", "7", "12"]
    assert all(matches)
