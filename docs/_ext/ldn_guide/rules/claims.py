"""Wording a clinical guide must not use, and errors of the commissioning article.

* Banned claims: "cure", "proven", "completely safe" and the like overstate any effect.
* Source-article errors: statements of the article the guide was commissioned from that were
  found wrong when the guide's editors verified it against the primary records; they must not
  come back.

One list for the build (every page, as Sphinx reads it), pre-commit
(``python -m ldn_guide.rules.claims FILE...``) and the tests.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import Problem

BANNED = {
    r"\bcure[sd]?\b|\bcuring\b|\bcurative\b": "overstates any effect; give the measured outcome",
    r"\bprove[sn]?\b": "no LDN use is proven; give the design and the result",
    r"\bcompletely safe\b": "no drug is; name the harms and their frequency",
    r"\bextremely safe\b": "no drug is; name the harms and their frequency",
    r"\bno side[- ]effects\b": "trials report adverse effects; give them",
    r"\b(miracle|breakthrough treatment|wonder drug)\b": "promotional wording",
    r"\bguarantee[sd]?\b": "no outcome is guaranteed",
    r"\bQD\b": "ambiguous abbreviation; write 'once daily'",
}
SOURCE_ERRORS = {
    r"Handbook of Physiology": "Willner's chapter is in the Handbook of Experimental Pharmacology",
    r"Pacific Rim": "an abstract book (one 5-patient chart review), not a source for the claims",
    r"Provider Guide\.": "untraceable grey literature",
    r"RLS symptoms (had )?improved": "there is no clinical study of RLS: the claim is a patent's",
    r"significantly improved depression": "Mischoulon 2017's primary outcome was not significant",
    r"\b1 mg/day": "Mischoulon 2017 used 1 mg twice daily (Raknes 2019 misquotes it)",
    r"binding to the C-terminal pentapeptide": "the retracted filamin A claim (Wang 2008)",
}
# (pattern, reason, kind): banned words in any case; source errors as the article wrote them.
RULES = [(re.compile(p, re.IGNORECASE), r, "banned claim") for p, r in BANNED.items()] + [
    (re.compile(p), r, "known error of the source article") for p, r in SOURCE_ERRORS.items()]
# Lines that quote a banned word to discuss it (e.g. the style guide) opt out explicitly.
ALLOW_MARKER = "<!-- banned-claims: allow -->"


def find_banned(text: str) -> list[Problem]:
    """A problem for each banned phrase or known source error, with its line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if ALLOW_MARKER in line:
            continue
        for pattern, reason, kind in RULES:
            for match in pattern.finditer(line):
                found.append(Problem(number, f'{kind} "{match[0]}": {reason}. Rephrase.'))
    return found


def main(paths: list[str]) -> int:
    status = 0
    for path in paths:
        for problem in find_banned(Path(path).read_text(encoding="utf-8")):
            print(f"{path}:{problem.line}: {problem.message}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
