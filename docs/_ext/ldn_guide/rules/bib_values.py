"""The value part of ``bib_syntax``'s scanner: one field's value, and the names in it.

A value is one or more parts joined by ``#``: ``{braced {nested}}``, ``"quoted"``, a number or
an ``@string`` macro name. ``ValueScanner`` is a mixin: ``bib_syntax._Scanner`` provides the
text, the position and the entry being read (the attributes and methods declared below).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import Problem

# pybtex's NAME token (entry types, field names, macro names): these characters, digits
# allowed after the first.
_NAME_CHARS = r"A-Za-z@!$&*+\-./:;<>?\[\\\]^_`|~\x7f"
NAME = re.compile(rf"[{_NAME_CHARS}][{_NAME_CHARS}0-9]*")
_NUMBER = re.compile(r"[0-9]+")
# pybtex's separator of names in author and editor: "and" between whitespace, any case.
_AND = re.compile(r"(?<=[\s~])and(?=[\s~])", re.IGNORECASE)
# A line that looks like a field ("  year = ..."), seen inside a value.
_FIELD_LINE = re.compile(r"[ \t]*[A-Za-z][A-Za-z0-9_-]*[ \t]*=")


class EntryError(Exception):
    """A fault after which the rest of the entry cannot be read; the scan resumes at the
    next entry."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class ValueScanner:
    # Provided by the scanner that inherits this mixin.
    text: str
    pos: int
    problems: list[Problem]
    macros: set[str]
    entry_line: int
    where: str
    runaway: tuple[str, int] | None

    if TYPE_CHECKING:
        def line_at(self, pos: int) -> int: ...
        def peek(self) -> str: ...
        def starts_entry(self, pos: int) -> bool: ...
        def skip_space_in_entry(self) -> None: ...

    def value(self, field: str) -> list[tuple[int, str]]:
        """One value: parts joined by "#". Returns (offset, text) of each braced or quoted
        part's inside."""
        text = self.text
        parts = []
        while True:
            self.skip_space_in_entry()
            char = self.peek()
            line = self.line_at(self.pos)
            start = self.pos + 1
            if char == "{":
                self.braced(field, line)
                parts.append((start, text[start:self.pos - 1]))
            elif char == '"':
                self.quoted(field, line)
                parts.append((start, text[start:self.pos - 1]))
            elif char.isdigit() and char.isascii():
                self.pos = _NUMBER.match(text, self.pos).end()
            elif name := NAME.match(text, self.pos):
                self.pos = name.end()
                if name[0].lower() not in self.macros:
                    self.problems.append(Problem(
                        line, f"undefined macro {name[0]} in the value of {field} in "
                              f"{self.where} (fix: put the text in braces, {field} = "
                              f"{{...}}, or define it with @string before this entry)"))
            else:
                raise EntryError(line, f"{field} has no value in {self.where} (fix: write "
                                       f"{field} = {{...}})")
            self.skip_space_in_entry()
            if self.peek() != "#":
                return parts
            self.pos += 1

    def check_names(self, field: str, offset: int, names: str) -> None:
        """pybtex splits author and editor at " and " outside braces and fails on a name
        with more than two commas ("Last, Jr, First"), which is usually a missing "and"."""
        depth = 0
        name_start = 0
        commas = 0
        for i, char in enumerate(names + " and "):
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == "," and depth == 0:
                commas += 1
            elif depth == 0 and _AND.match(names + " and ", i):
                if commas > 2:
                    name = " ".join(names[name_start:i].split())
                    self.problems.append(Problem(
                        self.line_at(offset + name_start + len(names[name_start:i])
                                     - len(names[name_start:i].lstrip())),
                        f"{commas} commas in the {field} name {name!r} in {self.where} (fix: "
                        "separate names with ' and ', each as Last, First)"))
                name_start = _AND.match(names + " and ", i).end()
                commas = 0

    def note_runaway(self, field: str, line: int) -> None:
        """Remember a value that continues on a line that looks like "name = ..." (pos is
        at the newline before it)."""
        if self.runaway is None and _FIELD_LINE.match(self.text, self.pos + 1):
            self.runaway = (field, line)

    def unclosed_value(self, field: str, line: int, quoted: bool) -> EntryError:
        if quoted:
            return EntryError(self.entry_line,
                              f'unclosed quote in {self.where}: the value of {field} (line '
                              f'{line}) never ends (fix: add the closing " to that value)')
        return EntryError(self.entry_line,
                          f"unclosed brace in {self.where}: the value of {field} (line {line})"
                          " never closes (fix: add the missing } to that value)")

    def braced(self, field: str, line: int) -> None:
        """{...} with nested braces; pos is at the opening brace."""
        text = self.text
        depth = 0
        while self.pos < len(text):
            char = text[self.pos]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return
            elif char == "\n":
                self.note_runaway(field, line)
                if self.starts_entry(self.pos + 1):
                    raise self.unclosed_value(field, line, quoted=False)
            self.pos += 1
        raise self.unclosed_value(field, line, quoted=False)

    def quoted(self, field: str, line: int) -> None:
        """"..." where braces nest and a quote inside braces does not end the value."""
        text = self.text
        depth = 0
        self.pos += 1
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"' and depth == 0:
                self.pos += 1
                return
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0 and self.line_at(self.pos) != line:
                    # Most likely the entry's own closing brace: the quote never ended.
                    raise self.unclosed_value(field, line, quoted=True)
                if depth == 0:  # pybtex: "unbalanced braces"
                    raise EntryError(self.line_at(self.pos),
                                     f"unbalanced }} in the quoted value of {field} in "
                                     f"{self.where} (fix: remove it or add the matching {{)")
                depth -= 1
            elif char == "\n":
                self.note_runaway(field, line)
                if self.starts_entry(self.pos + 1):
                    raise self.unclosed_value(field, line, quoted=True)
            self.pos += 1
        raise self.unclosed_value(field, line, quoted=True)
