"""Quoted source excerpts: docs/data/excerpts/<key>.yaml, one file per cited work.

Each file holds the work's bibliographic record as a source shows it, where it was seen
(address, primary or secondary, date) and the short passages the guide relies on
(schema: docs/data/excerpts.schema.json). Two rules use them:

* the number rule (:mod:`ldn_guide.rules.numbers`): the numbers a passage gives;
* :func:`bib_disagreements`: refs.bib's authors, title, year and identifiers against the
  record.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from . import Problem
from .guideline.lines import LOADER

SCHEMA = "excerpts.schema.json"
FOLDER = "excerpts"
# A number as a source or the guide writes it: 1,234 or 12.5 or .016 (signs are not compared:
# sources write minus as -, – or −, and "fell by 1.03" is the same number as "−1.03").
# A unit may follow without a space ("4.5mg", "28.8%"); letters before digits make a name or an
# identifier (NCT00568555, GAD-7 is handled by the number rule's names), not a number.
# The lookahead keeps it from matching the empty string at every character (ten times slower).
NUMBER = re.compile(r"(?<![\w.])(?=\.?\d)(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?!\d)")


def canonical(token: str) -> Decimal | None:
    """The number a token writes, with thousands separators, signs and trailing zeros gone:
    "1,234" -> 1234, "0.50" -> 0.5, ".016" -> 0.016. None if it is no number."""
    text = token.replace(",", "").lstrip("+-−–")
    if not text or text == ".":
        return None
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"
]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORDS = {word: number for number, word in enumerate(UNITS)} | {
    f"{ten}{joint}{unit}": 20 + 10 * index + number
    for index, ten in enumerate(TENS) for joint in ("-", " ", "")
    for number, unit in enumerate([""] + UNITS[1:10]) if unit or not joint}
ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth"
]
WORDS |= {word: number for number, word in enumerate(ORDINALS, 1)}


def _either(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# Every key of WORDS, as "a ten, then maybe a unit" or one word: one alternative per word
# (some 250) took five times as long over the excerpts.
NUMBER_WORD = re.compile(rf"\b(?:(?:{_either(TENS)})(?:[- ]?(?:{_either(UNITS[1:10])}))?"
                         rf"|{_either(UNITS + ORDINALS)})\b", re.IGNORECASE)


def numbers_in(text: str) -> set[Decimal]:
    """Every number a passage gives, in digits or in words ("Thirty-one women" gives 31)."""
    # The Lancet's raised decimal point ("−0·34") is a decimal point.
    text = re.sub(r"(?<=\d)·(?=\d)", ".", unicodedata.normalize("NFKC", text))
    found = {Decimal(WORDS[match.group().lower()]) for match in NUMBER_WORD.finditer(text)}
    for match in NUMBER.finditer(text):
        value = canonical(match.group())
        if value is not None:
            found.add(value)
    return found


@dataclass
class Work:
    """One work's excerpt file: the numbers its passages and record give, and the record."""

    key: str
    path: Path
    record: dict
    numbers: set[Decimal] = field(default_factory=set)
    primary: bool = False  # at least one passage seen on a primary record


def load_work(path: Path, schema: dict) -> tuple[Work | None, list[Problem]]:
    import jsonschema

    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=LOADER)  # libyaml's safe loader where installed
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem((mark.line + 1) if mark else 1, f"not valid YAML: {error}")]
    problems = [Problem(line_of(text, list(error.path)),
                        f"{'/'.join(map(str, error.path)) or 'file'}: {error.message}")
                for error in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    if problems:
        return None, problems
    if data["work"] != path.stem:
        return None, [Problem(line_of(text, ["work"]),
                              f"work {data['work']!r} is in {path.name}: name the file "
                              f"{data['work']}.yaml, or correct the key")]
    seen = {place["id"]: place for place in data["seen"]}
    for index, excerpt in enumerate(data["excerpts"]):
        if excerpt["seen"] not in seen:
            problems.append(Problem(line_of(text, ["excerpts", index]),
                                    f"excerpt {index + 1} was seen on {excerpt['seen']!r}, "
                                    f"which is not in 'seen' ({', '.join(seen)})"))
    if data["record"]["seen"] not in seen:
        problems.append(Problem(line_of(text, ["record"]),
                                f"the record was seen on {data['record']['seen']!r}, which is "
                                f"not in 'seen' ({', '.join(seen)})"))
    if problems:
        return None, problems
    work = Work(data["work"], path, data["record"])
    for excerpt in data["excerpts"]:
        work.numbers |= numbers_in(excerpt["text"])
        work.primary |= seen[excerpt["seen"]]["kind"] == "primary"
    # The record's title and year are part of what a source says ("a 12-month trial", 2024).
    work.numbers |= numbers_in(data["record"]["title"]) | {Decimal(data["record"]["year"])}
    return work, []


def load_all(data_dir: Path) -> tuple[dict[str, Work], list[tuple[Path, Problem]]]:
    """Every excerpt file under data_dir/excerpts, by key; and each file's problems."""
    works, problems = {}, []
    if not (data_dir / FOLDER).is_dir():
        return works, problems
    schema = json.loads((data_dir / SCHEMA).read_text(encoding="utf-8"))
    for path in sorted((data_dir / FOLDER).glob("*.yaml")):
        work, found = load_work(path, schema)
        problems += [(path, problem) for problem in found]
        if work is not None:
            works[work.key] = work
    return works, problems


def line_of(text: str, where: list) -> int:
    """The line of a top-level key, or of the n-th item of a top-level list, in the YAML."""
    lines = text.splitlines()
    if not where:
        return 1
    key = str(where[0])
    start = next((number for number, line in enumerate(lines, 1)
                  if line.startswith(f"{key}:")), 1)
    if len(where) > 1 and isinstance(where[1], int):
        items = [number for number, line in enumerate(lines, 1)
                 if number > start and re.match(r"\s+- ", line)
                 and not line.startswith("   " * 2)]
        if where[1] < len(items):
            return items[where[1]]
    return start


# -- refs.bib against the record ------------------------------------------------------------
def family_names(authors: list[str]) -> list[str]:
    return [name.split(",")[0].strip() for name in authors]


def comparable(text: str) -> str:
    """Case, punctuation, braces and spacing do not count; letters (accents too) do."""
    return re.sub(r"[^\w]+", " ", text.replace("{", "").replace("}", "")).strip().casefold()


# The refs.bib fields that bib_disagreements compares with the record (and the authors).
COMPARED_FIELDS = ("title", "year", "doi", "pmid")


def bib_disagreements(fields: dict[str, str], authors: list[str], record: dict) -> list[str]:
    """What refs.bib says that the record does not: family names of the authors in order,
    title, year, DOI, PMID (pybtex-decoded ``fields``; ``authors`` as 'Family, Given')."""
    problems = []
    names, recorded = family_names(authors), family_names(record.get("authors", []))
    if names and names[-1] == "others":  # "and others": the list the record gives begins it
        names, recorded = names[:-1], recorded[:len(names) - 1]
    # Without case: "kharaba" on a journal platform is the Kharaba of the paper.
    if "authors" in record and [name.casefold() for name in names] != [
            name.casefold() for name in recorded]:
        problems.append(f"authors {'; '.join(family_names(authors)) or '(none)'} differ from "
                        f"the record's {'; '.join(family_names(record['authors']))}")
    # A title in another language may carry its translation in brackets after it.
    titles = {comparable(fields.get("title", "")),
              comparable(re.sub(r"\s*\[[^\]]*\]$", "", fields.get("title", "")))}
    if "title" in fields and comparable(record["title"]) not in titles:
        problems.append(f"title {fields['title']!r} differs from the record's "
                        f"{record['title']!r}")
    if "year" in fields and fields["year"] != str(record["year"]):
        problems.append(f"year {fields['year']} differs from the record's {record['year']}")
    for name in ("doi", "pmid"):
        if name in record and fields.get(name, "").lower() != record[name].lower():
            problems.append(f"{name} {fields.get(name, '(none)')} differs from the record's "
                            f"{record[name]}")
    return problems
