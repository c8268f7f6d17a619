"""The number rule: every number the guide states with a citation is in a quoted passage of a
work that the sentence cites, or is marked as the guide's own arithmetic, which is redone.

A page sentence (or table cell) that cites ``{cite:p}`a,b``` may state a number (n, dose,
duration, percentage, p-value, effect, CI bound, count, year) only if an excerpt of ``a`` or
``b`` (docs/data/excerpts/, :mod:`ldn_guide.rules.excerpts`) gives it. A number the guide
worked out itself is written ``{derived}`11 = 50 / 4.5```: the page shows 11, the rule
recomputes 50 / 4.5 to the precision shown and checks each input like any other number.

Not numbers of a claim, and so not checked: names that contain digits (HAM-D-17, GAD-7,
DSM-5, RoB 2, PRISMA 2020), recommendation IDs (FM-1), registry and record identifiers (they
are checked against the record, :func:`ldn_guide.rules.excerpts.bib_disagreements`), dates of
the guide's own reviews, link targets, code, and anything inside another role
(``{ref}``, ``{doc}``, ``{term}``).
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import Problem
from .excerpts import NUMBER, Work, canonical

CITE = re.compile(r"\{cite:[pt]s?\}`([^`]*)`")
DERIVED = re.compile(r"\{derived\}`([^`=]+)=([^`]+)`")
OTHER_ROLE = re.compile(r"\{[a-z:-]+\}`[^`]*`")
CODE = re.compile(r"`[^`]*`")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
LABEL = re.compile(r"^\s*\([\w-]+\)=\s*$")
# Tokens that hold digits but state no number: names and identifiers.
NAMES = re.compile(
    r"\b(?:[A-Z][A-Za-z]*-)+[A-Z]*\d+[A-Za-z]*\b"      # HAM-D-17, GAD-7, FM-1, CGI-S2
    r"|\b[A-Za-z]+\d+[A-Za-z\d]*\b"                    # NCT00568555, IL6, mu1
    r"|\b\d{4}-\d{2}-\d{2}\b"                          # an ISO date
    r"|\b20\d{2}\.\d{1,2}\b(?!\d)"                     # an edition of the guide (2026.1)
    r"|\b[A-Z][\w'-]+(?: (?:et al\.?|and [A-Z][\w'-]+))?,? (?:19|20)\d{2}[a-z]?\b"  # Bruun 2024
    r"|\b(?:RoB|AGREE|PRISMA|OCEBM|CC BY|DSM|ICD|Sphinx|Python|edition)\s+[\dIVX.]+\b"
    r"|\b(?:PMID|PMCID|DOI|doi)[:\s]+\S+"
    r"|\b10\.\d{4,9}/\S+")
SENTENCE_END = re.compile(r"(?<!\bet al)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bapprox)"
                          r"(?<!\bNo)(?<!\bp)[.!?](?=\s+[A-Z(\[*\"“])")


@dataclass(frozen=True)
class Claim:
    """A sentence or table cell that cites works: where it starts, its text, its keys."""

    line: int
    text: str
    keys: tuple[str, ...]


def blocks(source: str) -> Iterable[tuple[int, str]]:
    """Paragraphs, list items and table cells of a MyST page, each with its first line.
    Front matter, code (plain fences), directive lines and options and labels are skipped;
    the content of a directive (a table, a note, a narrative) is read like the page."""
    lines = source.splitlines()
    first = 0
    if lines and lines[0].strip() == "---":
        first = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0) + 1
    fences: list[tuple[str, bool]] = []  # (the fence's backticks, is it code?)
    current: list[str] = []
    start = 0
    for index in range(first, len(lines)):
        line = lines[index]
        stripped = line.strip()
        fence = re.match(r"^(`{3,}|~{3,})(.*)$", stripped)
        in_code = any(code for _, code in fences)
        if fence and fences and fence.group(1) == fences[-1][0] and not fence.group(2).strip():
            fences.pop()  # a closing fence
            fence_line = True
        elif fence and not in_code:
            fences.append((fence.group(1), not fence.group(2).strip().startswith("{")))
            fence_line = True
        else:
            fence_line = False
        skip = (fence_line or in_code or not stripped or stripped.startswith(("#", ":::", "{."))
                or LABEL.match(line) or re.match(r"^:\w[\w-]*:", stripped))
        item = re.match(r"^\s*(?:[*+-]|\d+\.)\s", line)
        if (skip or item or stripped.startswith("|")) and current:
            yield start, " ".join(current)
            current = []
        if skip:
            continue
        if stripped.startswith("|"):  # a pipe-table row: each cell alone
            for cell in stripped.strip("|").split("|"):
                if cell.strip():
                    yield index + 1, cell.strip()
            continue
        if not current:
            start = index + 1
        current.append(re.sub(r"^\s*(?:[*+-]|\d+\.)\s+(?:-\s+)?", "", line).strip())
    if current:
        yield start, " ".join(current)


def claims(source: str) -> list[Claim]:
    """Every sentence of the page that cites at least one work."""
    found = []
    for line, block in blocks(source):
        for sentence in SENTENCE_END.split(block):
            keys = tuple(dict.fromkeys(key.strip() for match in CITE.finditer(sentence)
                                       for key in match.group(1).split(",")))
            if keys:
                found.append(Claim(line, sentence.strip(), keys))
    return found


def stated_numbers(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The numbers a sentence states, as written; and its derived numbers (value, inputs)."""
    derived = [(value.strip(), expression.strip()) for value, expression in DERIVED.findall(text)]
    text = DERIVED.sub(" ", text)
    for pattern in (CITE, OTHER_ROLE, CODE):
        text = pattern.sub(" ", text)
    text = LINK.sub(r"\1", text)
    text = NAMES.sub(" ", text)
    return [match.group() for match in NUMBER.finditer(text) if match.group().strip(".,")], \
        derived


OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
             ast.Div: operator.truediv}


def evaluate(expression: str) -> Decimal:
    """+, -, * and / of plain numbers; anything else is an error."""
    def value(node) -> Decimal:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Decimal(str(node.value))
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        raise ValueError("only numbers, + - * / and brackets")
    text = expression.replace("×", "*").replace("−", "-").replace("–", "-").replace(",", "")
    return value(ast.parse(text, mode="eval").body)


def derived_problem(shown: str, expression: str) -> str | None:
    """None if ``expression`` gives ``shown`` to the precision shown."""
    target = canonical(shown.lstrip("≈~ ").strip())
    if target is None:
        return f"{{derived}}`{shown} = {expression}`: {shown!r} is not a number"
    try:
        result = evaluate(expression)
    except (ValueError, SyntaxError, ZeroDivisionError) as error:
        return f"{{derived}}`{shown} = {expression}`: cannot compute it ({error})"
    places = len(shown.strip().rstrip("%").partition(".")[2])
    if abs(abs(result) - target) > Decimal(5) / Decimal(10) ** (places + 1):
        return (f"{{derived}}`{shown} = {expression}`: {expression} gives "
                f"{result:.{places + 1}f}, not {shown}; correct the value or the inputs")
    return None


def check_claim(claim: Claim, works: Mapping[str, Work]) -> list[str]:
    """Problems of one citing sentence: numbers in no excerpt of the works it cites."""
    missing = [key for key in claim.keys if key not in works]
    known = set().union(*(works[key].numbers for key in claim.keys if key in works))
    stated, derived = stated_numbers(claim.text)
    problems = []
    inputs = [token for _, expression in derived for token in NUMBER.findall(expression)
              if token.strip(".,")]
    for shown, expression in derived:
        problem = derived_problem(shown, expression)
        if problem:
            problems.append(problem)
    for token in stated + inputs:
        value = canonical(token)
        if value is None or value in known or missing:
            continue  # with a cited work not yet quoted, the number is counted unchecked
        problems.append(f"the number {token} is in no excerpt of the works this sentence "
                        f"cites (searched {', '.join(claim.keys)}): quote the passage that gives "
                        "it in docs/data/excerpts/, or mark the guide's own arithmetic as "
                        f"{{derived}}`{token} = ...`")
    return problems


def count(claim: Claim, works: Mapping[str, Work]) -> Counts:
    stated, derived = stated_numbers(claim.text)
    numbers = len(stated) + len(derived)
    if all(key in works for key in claim.keys):
        return Counts(numbers, 0)
    return Counts(0, numbers)


@dataclass(frozen=True)
class Counts:
    """Numbers checked; numbers not checked because a work they cite has no excerpt file."""

    checked: int = 0
    unchecked: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.checked + other.checked, self.unchecked + other.unchecked)


def check_page(source: str, works: Mapping[str, Work]) -> tuple[list[Problem], Counts]:
    """Every citing sentence of a page: the problems, and how many numbers it holds."""
    problems, counts = [], Counts()
    for claim in claims(source):
        counts += count(claim, works)
        problems += [Problem(claim.line, message) for message in check_claim(claim, works)]
    return problems, counts


# -- Condition files ------------------------------------------------------------------------
# The fields of a study entry that state what the study found or was (it cites itself).
STUDY_FIELDS = ("n", "population", "dose", "duration", "primary_outcome", "result")
POOLED_FIELDS = ("estimate", "ci_low", "ci_high", "n_studies", "participants", "result",
                 "measure")


def condition_claims(data: Mapping) -> Iterable[tuple[tuple, str, tuple[str, ...], dict]]:
    """(path in the file, text, the works it cites, its derived numbers) for every data field
    of a condition file that states a finding of a cited work."""
    quick = data.get("quick_reference", {})
    if "evidence" in quick:  # the quick reference's row, with its citations
        yield ("quick_reference", "evidence"), quick["evidence"], tuple(quick.get("cite", [])), {}
    for key, study in data.get("studies", {}).items():
        derived, sources = study.get("derived", {}), tuple(study.get("sources", []))
        for name in STUDY_FIELDS:
            if name in study:
                yield ("studies", key, name), str(study[name]), (key, *sources), derived
    for name, outcome in data.get("outcomes", {}).items():
        derived, sources = outcome.get("derived", {}), tuple(outcome.get("sources", []))
        if "narrative" in outcome:
            yield (("outcomes", name, "narrative"), outcome["narrative"],
                   (*outcome.get("studies", []), *sources), derived)
        for key, result in outcome.get("study_results", {}).items():
            parts = [result] if isinstance(result, str) else [
                str(result[field]) for field in ("measure", "estimate", "ci_low", "ci_high",
                                                 "note") if field in result]
            yield (("outcomes", name, "study_results", key), " ; ".join(parts),
                   (key, *sources), derived)
        for index, pooled in enumerate(outcome.get("pooled", [])):
            parts = [str(pooled[field]) for field in POOLED_FIELDS if field in pooled]
            yield (("outcomes", name, "pooled", index), " ; ".join(parts),
                   (pooled["citation"], *sources), derived)


def check_condition(data: Mapping, works: Mapping[str, Work]) -> tuple[list[tuple], Counts]:
    """The number rule on a condition file: [(path, message)], and how many numbers."""
    problems, counts = [], Counts()
    for path, text, keys, derived in condition_claims(data):
        marked = " ".join(f"{{derived}}`{value} = {expression}`"
                          for value, expression in derived.items()
                          if any(str(value) == token for token in NUMBER.findall(text)))
        shown = text
        for value in derived:
            shown = re.sub(rf"(?<![\d.]){re.escape(str(value))}(?![\d.])", " ", shown)
        claim = Claim(0, f"{shown} {marked}", keys)
        counts += count(claim, works)
        problems += [(path, message) for message in check_claim(claim, works)]
    return problems, counts


def check_guide(docs: Path) -> tuple[list[str], Counts]:
    """The number rule over a whole guide (its pages and condition files), without Sphinx:
    ``FILE:LINE: message`` problems, and how many numbers were checked."""
    import yaml

    from .excerpts import load_all
    from .guideline import line_index, line_of
    from .guideline.lines import LOADER

    works, file_problems = load_all(docs / "data")
    problems = [f"{path}:{problem.line}: {problem.message}" for path, problem in file_problems]
    counts = Counts()
    for page in sorted(docs.rglob("*.md")):
        if "_build" in page.parts or page.name.startswith("_"):
            continue
        found, page_counts = check_page(page.read_text(encoding="utf-8"), works)
        counts += page_counts
        problems += [f"{page}:{problem.line}: {problem.message}" for problem in found]
    for path in sorted((docs / "data" / "conditions").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        found, file_counts = check_condition(yaml.load(text, Loader=LOADER) or {}, works)
        counts += file_counts
        lines = line_index(text)
        problems += [f"{path}:{line_of(lines, *where)}: {message}" for where, message in found]
    return problems, counts


def main(argv: list[str] | None = None) -> int:
    """``python -m ldn_guide.rules.numbers DOCS``: the rule's problems, and the count."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    problems, counts = check_guide(Path(args[0] if args else "docs"))
    for problem in problems:
        print(problem)
    print(f"{counts.checked} numbers checked, {len(problems)} without a quoted source; "
          f"{counts.unchecked} not checked (a work they cite has no excerpt file)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
