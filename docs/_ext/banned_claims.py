"""Refuse wording a clinical guide must not use ("cure", "proven", "completely safe", ...).

Runs on every page as Sphinx reads it, so ``-W`` stops the build with file:line; also runs
as a command (``python docs/_ext/banned_claims.py FILE...``) for pre-commit.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BANNED = {
    r"\bcure[sd]?\b|\bcuring\b|\bcurative\b": "overstates any effect; give the measured outcome",
    r"\bprove[sn]?\b": "no LDN use is proven; give the design and the result",
    r"\bcompletely safe\b": "no drug is; name the harms and their frequency",
    r"\bno side[- ]effects\b": "trials report adverse effects; give them",
    r"\b(miracle|breakthrough treatment|wonder drug)\b": "promotional wording",
    r"\bguarantee[sd]?\b": "no outcome is guaranteed",
    r"\bQD\b": "ambiguous abbreviation; write 'once daily'",
}
PATTERN = re.compile("|".join(f"(?:{p})" for p in BANNED), re.IGNORECASE)
# Lines that quote a banned word to discuss it (e.g. the style guide) opt out explicitly.
ALLOW_MARKER = "<!-- banned-claims: allow -->"


def find_banned(text: str) -> list[tuple[int, str, str]]:
    """(line number, matched text, why) for each banned phrase."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if ALLOW_MARKER in line:
            continue
        for match in PATTERN.finditer(line):
            reason = next(r for p, r in BANNED.items() if re.fullmatch(p, match[0], re.I))
            found.append((number, match[0], reason))
    return found


def message(word: str, reason: str) -> str:
    return f'banned claim "{word}": {reason}. Rephrase.'


def check_source(app, docname: str, source: list[str]) -> None:
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for line, word, reason in find_banned(source[0]):
        logger.warning(message(word, reason), location=(docname, line),
                       type="banned_claims", subtype="wording")


def setup(app) -> dict:
    app.connect("source-read", check_source)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(paths: list[str]) -> int:
    status = 0
    for path in paths:
        for line, word, reason in find_banned(Path(path).read_text(encoding="utf-8")):
            print(f"{path}:{line}: {message(word, reason)}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
