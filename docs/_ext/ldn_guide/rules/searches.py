"""The guide's literature searches as data: docs/data/searches.yaml (schema
docs/data/searches.schema.json, given by the caller).

Every search records its source, how it was reached (``live``, ``stored-copy`` or
``not-recorded``), the date it was run, the exact strategy and each hit; every record found
carries its decision (included, excluded with a reason, or awaiting assessment). The rules here
recount the flow of records from the hits (:func:`flow`), check it against the stated totals and
the condition files (:func:`check_searches`), and give each condition the date its literature
was last searched (:func:`literature_dates`), which the build compares with the review interval
the file states (:func:`stale_message`). No Sphinx import; the build and
``nox -s surveillance`` both read the file through :func:`load_searches`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import Problem
from .guideline.lines import line_of, load_with_lines

# Why a record was excluded, as the methods page and the flow diagram word it.
REASONS = {
    "other-condition": "condition outside the guide",
    "not-a-study": "not a study",
    "secondary-report": "further report of an included study",
    "prose-only": "discussed in the text, not rated",
    "untraceable": "could not be identified",
    "not-ldn": "not naltrexone at the guide's doses",
}
# How a search was run, as the pages say it ("... of stored copies of public pages").
ACCESS = {
    "live": "the live databases",
    "stored-copy": "stored copies of public pages, not the live databases",
    "not-recorded": "sources searched in ways that were not recorded",
}
# The same, for the searches table's "Source (how reached)".
HOW_REACHED = {
    "live": "searched through the database's own interface",
    "stored-copy": "searched as stored copies of public pages, not the live database",
    "not-recorded": "how each was searched was not recorded",
}
TOTALS = ("found", "duplicates", "screened", "excluded", "awaiting", "included", "other_methods")


def load_searches(path: Path, schema: Mapping[str, Any]
                  ) -> tuple[dict | None, list[Problem], dict[tuple, int]]:
    """Read and validate searches.yaml: (data or None, problems, path -> line)."""
    return parse_searches(path.read_text(encoding="utf-8"), schema)


def parse_searches(text: str, schema: Mapping[str, Any]
                   ) -> tuple[dict | None, list[Problem], dict[tuple, int]]:
    import jsonschema

    data, problems, lines = load_with_lines(text)
    if data is None and problems:
        return None, problems, {}
    data = json.loads(json.dumps(data, default=str))  # dates as ISO strings, as the schema says
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.path)
        where = ".".join(map(str, path)) or "the file"
        problems.append(Problem(line_of(lines, *path), f"{where}: {error.message}"))
    return (None if problems else data), sorted(problems, key=lambda p: p.line), lines


def flow(data: Mapping[str, Any]) -> dict[str, int]:
    """The PRISMA counts, recounted from the hits and the records."""
    seen: set[str] = set()
    found = duplicates = 0
    for search in data["searches"]:
        for hit in search.get("hits", []):
            found += 1
            if hit["record"] in seen:
                duplicates += 1
            seen.add(hit["record"])
    decisions = [record["decision"] for record in data["records"]]
    return {"found": found, "duplicates": duplicates, "screened": len(data["records"]),
            "excluded": decisions.count("excluded"), "awaiting": decisions.count("awaiting"),
            "included": decisions.count("included"),
            "other_methods": len(data["other_methods"])}


def check_searches(data: Mapping[str, Any], lines: Mapping[tuple, int],
                   studies: Mapping[str, str]) -> list[Problem]:
    """Everything beyond the schema. ``studies``: every study key of docs/data/conditions/
    -> its condition."""
    problems: list[Problem] = []
    problems += unique_ids(data, lines)
    problems += check_hits(data, lines)
    problems += check_totals(data, lines)
    problems += check_studies(data, lines, studies)
    return sorted(problems, key=lambda p: p.line)


def unique_ids(data, lines) -> list[Problem]:
    problems = []
    for part in ("searches", "records"):
        seen: dict[str, int] = {}
        for index, item in enumerate(data[part]):
            if item["id"] in seen:
                problems.append(Problem(line_of(lines, part, index, "id"),
                                        f'{part}.{index}: id "{item["id"]}" is used twice (first '
                                        f"at {part}.{seen[item['id']]}); give each its own"))
            seen.setdefault(item["id"], index)
    return problems


def check_hits(data, lines) -> list[Problem]:
    problems = []
    records = {record["id"] for record in data["records"]}
    hit_records = set()
    for index, search in enumerate(data["searches"]):
        hits = search.get("hits", [])
        if search["found"] is not None and search["found"] != len(hits):
            problems.append(Problem(line_of(lines, "searches", index, "found"),
                                    f"search {search['id']}: found is {search['found']} but "
                                    f"{len(hits)} hits are listed; record every hit, or correct "
                                    "found"))
        ranks = [hit["rank"] for hit in hits]
        if ranks != list(range(1, len(hits) + 1)):
            problems.append(Problem(line_of(lines, "searches", index, "hits"),
                                    f"search {search['id']}: hits must be listed in rank order "
                                    f"1 to {len(hits)}, as the search returned them"))
        for number, hit in enumerate(hits):
            hit_records.add(hit["record"])
            if hit["record"] not in records:
                problems.append(Problem(line_of(lines, "searches", index, "hits", number),
                                        f"search {search['id']} hit {hit['rank']}: no record "
                                        f'"{hit["record"]}" under records; add it with its '
                                        "decision"))
    for index, record in enumerate(data["records"]):
        if record["id"] not in hit_records:
            problems.append(Problem(line_of(lines, "records", index, "id"),
                                    f'record "{record["id"]}" was found by no search listed; '
                                    "name the hit that found it, or move the study to "
                                    "other_methods"))
    return problems


def check_totals(data, lines) -> list[Problem]:
    """The stated totals equal the recount, and add up as the flow diagram shows them."""
    problems = []
    stated, counted = data["totals"], flow(data)
    for name in TOTALS:
        if stated[name] != counted[name]:
            problems.append(Problem(line_of(lines, "totals", name),
                                    f"totals.{name} is {stated[name]}, but the hits and records "
                                    f"give {counted[name]}"))
    where = line_of(lines, "totals")
    if stated["found"] - stated["duplicates"] != stated["screened"]:
        problems.append(Problem(where, f"totals: found {stated['found']} - duplicates "
                                       f"{stated['duplicates']} must equal screened "
                                       f"{stated['screened']}"))
    rest = stated["screened"] - stated["excluded"] - stated["awaiting"]
    if rest != stated["included"]:
        problems.append(Problem(where, f"totals: screened {stated['screened']} - excluded "
                                       f"{stated['excluded']} - awaiting {stated['awaiting']} "
                                       f"must equal included {stated['included']}"))
    return problems


def check_studies(data, lines, studies: Mapping[str, str]) -> list[Problem]:
    """Every included record is a study of a condition file, and every study there is
    included exactly once (by a recorded search, or under other_methods)."""
    problems = []
    conditions = set(studies.values())
    search_ids = {search["id"] for search in data["searches"]}
    included: dict[str, tuple] = {}
    for index, record in enumerate(data["records"]):
        if record["decision"] != "included":
            continue
        key = record["study"]
        if key not in studies:
            problems.append(Problem(line_of(lines, "records", index, "study"),
                                    f'record "{record["id"]}": included study "{key}" is not a '
                                    "study in docs/data/conditions/; add it there or correct "
                                    "the key"))
        if key in included:
            problems.append(Problem(line_of(lines, "records", index, "study"),
                                    f'record "{record["id"]}": study "{key}" is included twice; '
                                    "one record per study, the others are duplicate hits"))
        included[key] = ("records", index, "study")
    for index, other in enumerate(data["other_methods"]):
        key = other["study"]
        if key not in studies:
            problems.append(Problem(line_of(lines, "other_methods", index, "study"),
                                    f'other_methods: "{key}" is not a study in '
                                    "docs/data/conditions/"))
        if key in included:
            problems.append(Problem(line_of(lines, "other_methods", index, "study"),
                                    f'other_methods: "{key}" is already included (at '
                                    f"{'.'.join(map(str, included[key]))}); count it once"))
        if other["how"] not in search_ids:
            problems.append(Problem(line_of(lines, "other_methods", index, "how"),
                                    f'other_methods: "{other["how"]}" is not a search id'))
        included[key] = ("other_methods", index, "study")
    for key in sorted(set(studies) - set(included)):
        problems.append(Problem(line_of(lines, "records"),
                                f'study "{key}" ({studies[key]}) is in a condition file but no '
                                "record includes it; add the record that found it, or list it "
                                "under other_methods"))
    for index, search in enumerate(data["searches"]):
        for condition in search["conditions"]:
            if conditions and condition not in conditions:
                problems.append(Problem(line_of(lines, "searches", index, "conditions"),
                                        f'search {search["id"]}: no condition file "{condition}"'))
    return problems


def literature_dates(data: Mapping[str, Any]) -> dict[str, str]:
    """Condition -> the latest date a recorded (dated) search covering it was run."""
    dates: dict[str, str] = {}
    for search in data["searches"]:
        if search["date_run"] is None:
            continue
        for condition in search["conditions"]:
            dates[condition] = max(dates.get(condition, ""), search["date_run"])
    return dates


def latest_access(data: Mapping[str, Any], condition: str) -> str:
    """How the latest search covering ``condition`` was run (a key of :data:`ACCESS`)."""
    dated = [(search["date_run"], search["access"]) for search in data["searches"]
             if search["date_run"] and condition in search["conditions"]]
    return max(dated)[1] if dated else "not-recorded"


def awaiting(data: Mapping[str, Any], condition: str) -> int:
    """How many records found for ``condition`` are still awaiting assessment."""
    return sum(1 for record in data["records"] if record["decision"] == "awaiting"
               and condition in record.get("conditions", []))


def add_months(date: dt.date, months: int) -> dt.date:
    year, month = divmod(date.month - 1 + months, 12)
    year, month = date.year + year, month + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(date.day, days))


def stale_message(condition: str, searched: str | None, last_reviewed: dt.date,
                  months: int) -> str | None:
    """Why a condition page's literature is too old for its review date, or None.

    Compared with the page's ``last_reviewed`` date, never with today's: the same sources give
    the same build on any day (``nox -s review-status`` is the clock's place).
    """
    if searched is None:
        return (f'no dated search in docs/data/searches.yaml covers "{condition}"; record the '
                "search behind this page")
    date = dt.date.fromisoformat(searched)
    if add_months(date, months) < last_reviewed:
        return (f"literature for {condition} was last searched on {searched}, more than "
                f"{months} months before this page's last review ({last_reviewed}); run "
                "`nox -s surveillance` and record the new search in docs/data/searches.yaml")
    return None
