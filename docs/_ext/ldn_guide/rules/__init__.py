"""Pure rules: functions of text or bytes that return problems, with no Sphinx or docutils import.

The adapters in ``ldn_guide.adapters`` run them during the build and report each problem as
``FILE:LINE: message``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
