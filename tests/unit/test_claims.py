"""rules.claims: banned wording and known source-article errors, each with its line.

The build reports them on the page as it reads it (tests/test_citations.py); pre-commit runs
the module as a command (tests/test_prose.py).
"""

from __future__ import annotations

import pytest
from ldn_guide.rules.claims import ALLOW_MARKER, find_banned

INTRO = "# A page\n\n"  # each fault is on line 3

# (id, the line, message start)
FAULTS = [
    ("cures", "In one trial LDN cures depression.", 'banned claim "cures": overstates'),
    ("cure, any case", "A Cure for pain.", 'banned claim "Cure"'),
    ("proven", "Its effect is proven.", 'banned claim "proven"'),
    ("completely safe", "LDN is completely safe.", 'banned claim "completely safe"'),
    ("no side effects", "It has no side-effects.", 'banned claim "no side-effects"'),
    ("miracle", "A miracle drug.", 'banned claim "miracle"'),
    ("guaranteed", "Relief is guaranteed.", 'banned claim "guaranteed"'),
    ("QD", "Take 4.5 mg QD.", 'banned claim "QD"'),
    ("source error", "Mischoulon 2017 significantly improved depression.",
     'known error of the source article "significantly improved depression"'),
]


@pytest.mark.parametrize(("line", "message"), [case[1:] for case in FAULTS],
                         ids=[case[0] for case in FAULTS])
def test_each_fault_is_reported_once_with_its_line(line: str, message: str):
    found = find_banned(INTRO + line + "\n")
    assert len(found) == 1, found
    assert found[0].line == 3
    assert found[0].message.startswith(message) and found[0].message.endswith("Rephrase.")


@pytest.mark.parametrize("text", [
    "The trial measured pain on a 0-10 scale.",
    "Securing a procurement.",  # "cure" inside a word
    "Mischoulon 2017: Significantly Improved Depression?",  # source errors: as written
    f'The style guide bans "cures". {ALLOW_MARKER}',
])
def test_allowed_wording_has_no_problems(text: str):
    assert find_banned(INTRO + text + "\n") == []


def test_two_faults_on_two_lines_are_both_reported():
    assert [p.line for p in find_banned("LDN cures.\n\nIt is proven.\n")] == [1, 3]
