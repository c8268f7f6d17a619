"""Syntax pre-check of a BibTeX file's raw bytes, run before pybtex parses it.

pybtex can report every syntax error with a line (``PybtexSyntaxError.lineno``; in non-strict
mode, or under ``pybtex.errors.capture()``, it collects them all and goes on). What it lacks is
locality and a fix: an unclosed brace is reported where its scanner runs out, often at the end of
the file, not at the entry it belongs to; and text outside entries is silently skipped, so a
field that slipped out of its entry is lost without a word. This module scans the bytes itself
and returns every fault it can find, each with the line to look at and how to fix it.

The scanner follows pybtex's grammar (``pybtex.database.input.bibtex.LowLevelParser``):

* outside entries, ``%`` starts a comment to the end of the line; any other text is reported
  (pybtex would skip it, losing whatever it was meant to be);
* an entry is ``@type{key, name = value, ...}`` or ``@type(key, ...)``;
* a value is one or more parts joined by ``#``: ``{braced {nested}}``, ``"quoted"``, a number
  or an ``@string`` macro name (``jan`` .. ``dec`` are predefined); values are read by the
  ``bib_values.ValueScanner`` mixin;
* ``@comment`` is skipped as pybtex skips it; ``@preamble{value}`` and ``@string{name = value}``
  are checked but have no key.

One heuristic: a line that starts with ``@type{`` (or ``@type(``) is always taken as the start
of a new entry. That is how an unclosed brace is caught at the entry it belongs to instead of
many entries later. A reference file has no reason to start a line inside a value that way.
"""

from __future__ import annotations

import bisect
import difflib
import re

from . import Problem
from .bib_values import NAME as _NAME
from .bib_values import EntryError as _EntryError
from .bib_values import ValueScanner
from .encoding import first_bad_byte

# The entry types the guide's bibliography style can format.
ENTRY_TYPES = frozenset({
    "article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference",
    "manual", "mastersthesis", "phdthesis", "misc", "techreport", "unpublished", "online",
    "report", "patent",
})
# Commands that are not references; they are not type-checked and have no key.
SKIPPED_TYPES = frozenset({"comment", "preamble", "string"})
# pybtex predefines the month macros (month = jan).
PREDEFINED_MACROS = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

# pybtex takes almost anything up to a comma as the key; excluding the characters that
# are BibTeX syntax lets "@article{title = ..." be reported as a missing key.
_KEY = re.compile(r"""[^\s,{}()="#%']+""")
# The start of an entry, as it is written at the beginning of a line.
_ENTRY_START = re.compile(r"[ \t]*@[A-Za-z]+[ \t]*[{(]")
PERSON_FIELDS = frozenset({"author", "editor"})
_ENTRY_START_LINE = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)


def check_bib_syntax(data: bytes) -> list[Problem]:
    """Every syntax fault in a .bib file's bytes, in line order; [] if pybtex can parse it."""
    # surrogateescape keeps each bad byte as one character, so the scan still runs and
    # line numbers stay right; the first bad byte is reported separately below.
    text = data.decode("utf-8", errors="surrogateescape")
    scanner = _Scanner(text)
    scanner.scan()
    problems = list(scanner.problems)

    bad = first_bad_byte(data)
    if bad is not None:
        offset, line, column = bad
        index = len(data[:offset].decode("utf-8"))  # the text before it is valid UTF-8
        key = next((k for start, end, k in scanner.entries if start <= index < end and k), None)
        where = f" in entry {key}" if key else ""
        problems.append(Problem(line, f"byte 0x{data[offset]:02X} at column {column} is not "
                                      f"UTF-8{where} (fix: save refs.bib as UTF-8)"))
    return sorted(problems, key=lambda problem: problem.line)


class _Scanner(ValueScanner):
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 1 if text.startswith("\ufeff") else 0  # a byte-order mark is harmless
        self.problems: list[Problem] = []
        # (start, end, key) of each entry, to name the entry a bad byte is in.
        self.entries: list[tuple[int, int, str | None]] = []
        self.macros = set(PREDEFINED_MACROS)
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]
        # The entry being read: its line, closing character and how messages name it.
        self.entry_line = 0
        self.closer = "}"
        self.where = ""
        self.key: str | None = None
        # The first value of this entry that ran on into a line that looks like a field:
        # (field, line). An unclosed brace there makes the entry look unclosed at its end.
        self.runaway: tuple[str, int] | None = None

    # -- helpers ---------------------------------------------------------------------------

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def snippet(self, pos: int) -> str:
        """A short quote of the text at pos, for messages."""
        rest = self.text[pos:].split("\n", 1)[0].strip()
        return rest if len(rest) <= 30 else rest[:30] + "..."

    def starts_entry(self, pos: int) -> bool:
        """Whether the line beginning at pos starts a new entry."""
        return _ENTRY_START.match(self.text, pos) is not None

    def skip_space_in_entry(self) -> None:
        """Skip whitespace between the tokens of an entry.

        pybtex has no comments inside entries, so a "%" line there is a fault; and a line
        that starts a new entry means this one was never closed.
        """
        text = self.text
        while self.pos < len(text) and text[self.pos].isspace():
            if text[self.pos] == "\n" and self.starts_entry(self.pos + 1):
                raise self.unclosed_entry()
            self.pos += 1
        if self.peek() == "%":
            raise _EntryError(self.line_at(self.pos),
                              f"% comment inside {self.where}; pybtex has no comments inside "
                              "entries (fix: move the comment above the entry)")

    def unclosed_entry(self) -> _EntryError:
        if self.runaway:
            field, line = self.runaway
            return _EntryError(self.entry_line,
                               f"unclosed brace in {self.where}: the value of {field} (line "
                               f"{line}) runs on into the fields after it (fix: add the "
                               "missing } to that value)")
        return _EntryError(self.entry_line,
                           f"unclosed brace in {self.where}: it never ends with {self.closer} "
                           f"(fix: add {self.closer} after its last field)")

    # -- top level -------------------------------------------------------------------------

    def scan(self) -> None:
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos].isspace():
                self.pos += 1
            char = self.peek()
            if not char:
                return
            if char == "%":
                self.comment()
            elif char == "@":
                self.entry()
            else:
                self.stray_text()

    def comment(self) -> None:
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end == -1 else end
        # pybtex knows no comments: it skips text up to the next "@" and reads an entry there.
        if "@" in self.text[self.pos:end]:
            self.problems.append(Problem(
                self.line_at(self.pos),
                "'@' in a % comment starts an entry for pybtex (fix: remove the @ from the "
                "comment, e.g. write 'at')"))
        self.pos = end

    def stray_text(self) -> None:
        line = self.line_at(self.pos)
        field = re.compile(rf"[,\s]*({_NAME.pattern})\s*=").match(self.text, self.pos)
        if field:
            line = self.line_at(field.start(1))
        if self.peek() == "}":
            message = ("closing brace } outside any entry (fix: delete it; the entry above "
                       "may have one } too many)")
        elif field:
            message = (f"field {field[1]} outside any entry (fix: move it inside an entry's "
                       "braces; a } before it may close the entry above too early)")
        else:
            message = (f"text outside any entry: {self.snippet(self.pos)!r} (fix: delete it, "
                       "or start the line with % to make it a comment)")
        self.problems.append(Problem(line, message))
        # One report per block of stray lines: skip to a blank, comment or entry line.
        text = self.text
        while True:
            end = text.find("\n", self.pos)
            if end == -1:
                self.pos = len(text)
                return
            self.pos = end + 1
            next_end = text.find("\n", self.pos)
            next_line = text[self.pos:len(text) if next_end == -1 else next_end].strip()
            if not next_line or next_line.startswith("%") or self.starts_entry(self.pos):
                return

    # -- entries ---------------------------------------------------------------------------

    def entry(self) -> None:
        start = self.pos
        self.entry_line = self.line_at(start)
        self.key = None
        self.runaway = None
        try:
            self.entry_body()
        except _EntryError as error:
            self.problems.append(Problem(error.line, error.message))
            # Resume at the next line that starts an entry (or at the end).
            found = _ENTRY_START_LINE.search(self.text, max(self.pos, start + 1))
            self.pos = found.start() if found else len(self.text)
        self.entries.append((start, self.pos, self.key))

    def entry_body(self) -> None:
        text = self.text
        self.pos += 1  # the "@"
        self.where = f"the entry at line {self.entry_line}"
        self.skip_space_in_entry()
        name = _NAME.match(text, self.pos)
        if not name:
            raise _EntryError(self.entry_line,
                              "'@' without an entry type (fix: write @article{key, ...}, or "
                              "remove the @; outside entries use % comments)")
        entry_type = name[0]
        kind = entry_type.lower()
        self.pos = name.end()
        self.where = f"the @{entry_type} entry at line {self.entry_line}"
        self.skip_space_in_entry()
        opener = self.peek()
        if opener not in ("{", "("):
            raise _EntryError(self.entry_line,
                              f"@{entry_type} is not followed by {{ in {self.where} (fix: "
                              f"write @{entry_type}{{key, ...}})")
        self.closer = "}" if opener == "{" else ")"
        self.pos += 1

        if kind == "comment":
            self.skip_comment_command()
        elif kind == "preamble":
            self.where = f"@preamble at line {self.entry_line}"
            self.value("@preamble")
            self.end_of_command()
        elif kind == "string":
            self.where = f"@string at line {self.entry_line}"
            self.string_body()
        else:
            self.reference(entry_type)

    def skip_comment_command(self) -> None:
        # pybtex drops "@comment{" and skips the rest as text up to the next "@".
        found = _ENTRY_START_LINE.search(self.text, self.pos)
        end = found.start() if found else len(self.text)
        at = self.text.find("@", self.pos, end)
        if at != -1:
            self.problems.append(Problem(
                self.line_at(at),
                f"'@' inside {self.where} starts an entry for pybtex (fix: remove the @ "
                "from the comment)"))
        self.pos = end

    def end_of_command(self) -> None:
        self.skip_space_in_entry()
        if self.peek() == self.closer:
            self.pos += 1
            return
        if not self.peek():
            raise self.unclosed_entry()
        raise _EntryError(self.line_at(self.pos),
                          f"unexpected {self.snippet(self.pos)!r} in {self.where} (fix: end "
                          f"it with {self.closer})")

    def string_body(self) -> None:
        self.skip_space_in_entry()
        name = _NAME.match(self.text, self.pos)
        if not name:
            raise _EntryError(self.entry_line, f"{self.where} has no macro name (fix: write "
                                               "@string{name = {text}})")
        self.pos = name.end()
        self.skip_space_in_entry()
        if self.peek() != "=":
            raise _EntryError(self.line_at(self.pos), f"macro {name[0]} has no '=' in "
                                                      f"{self.where} (fix: write @string"
                                                      f"{{{name[0]} = {{text}}}})")
        self.pos += 1
        self.value(name[0])
        self.macros.add(name[0].lower())  # macro names are case-insensitive in pybtex
        self.end_of_command()

    def reference(self, entry_type: str) -> None:
        text = self.text
        self.skip_space_in_entry()
        key = _KEY.match(text, self.pos)
        # "@article{title = ..." has no key: what looks like one is a field name.
        after_key = re.compile(r"\s*=").match(text, key.end()) if key else None
        if not key or after_key:
            raise _EntryError(self.entry_line,
                              f"missing key in {self.where} (fix: write @{entry_type}{{key, "
                              "...} with a unique key)")
        self.key = key[0].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        self.where = f"entry {self.key}"
        if entry_type.lower() not in ENTRY_TYPES:
            close = difflib.get_close_matches(entry_type.lower(), sorted(ENTRY_TYPES), n=1)
            hint = f"did you mean @{close[0]}? " if close else ""
            self.problems.append(Problem(
                self.entry_line,
                f"unknown entry type @{entry_type} in {self.where} (fix: {hint}use one of "
                f"{', '.join(sorted(ENTRY_TYPES))})"))
        self.pos = key.end()
        key_line = self.line_at(key.start())
        self.skip_space_in_entry()
        char = self.peek()
        if char == self.closer:  # an entry with no fields
            self.pos += 1
            return
        if not char:
            raise self.unclosed_entry()
        if char != ",":
            raise _EntryError(key_line, f"missing comma after the key in {self.where} (fix: "
                                        f"write @{entry_type}{{{self.key}, ...)")
        self.pos += 1
        self.fields()

    def fields(self) -> None:
        seen: dict[str, int] = {}  # field name (lower case) -> its line
        while True:
            self.skip_space_in_entry()
            char = self.peek()
            if char == self.closer:
                self.pos += 1
                return
            if not char:
                raise self.unclosed_entry()
            if char == ",":  # pybtex accepts an empty field between two commas
                self.pos += 1
                continue
            field = self.field(seen)
            if self.end_of_field(field):
                return

    def field(self, seen: dict[str, int]) -> str:
        """One "name = value" (pos at its name); records its line in ``seen``, returns its name."""
        text = self.text
        char = self.peek()
        line = self.line_at(self.pos)
        name = _NAME.match(text, self.pos)
        if not name:
            if char == "=":
                raise _EntryError(line, f"value without a field name in {self.where} "
                                        "(fix: write name = {value})")
            raise _EntryError(line, f"unexpected {self.snippet(self.pos)!r} where a field "
                                    f"should start in {self.where} (fix: write each "
                                    "field as name = {value},)")
        field = name[0]
        self.pos = name.end()
        self.skip_space_in_entry()
        if self.peek() != "=":
            raise _EntryError(line, f"field {field} has no '=' in {self.where} (fix: "
                                    f"write {field} = {{...}})")
        self.pos += 1
        parts = self.value(field)
        if field.lower() in PERSON_FIELDS:
            for offset, part in parts:
                self.check_names(field, offset, part)
        if field.lower() in seen:
            self.problems.append(Problem(
                line, f"duplicate field {field} in {self.where} (first at line "
                      f"{seen[field.lower()]}) (fix: delete one; pybtex keeps the first)"))
        else:
            seen[field.lower()] = line
        return field

    def end_of_field(self, field: str) -> bool:
        """After the value of ``field``: past a comma (False) or the entry's end (True)."""
        self.skip_space_in_entry()
        char = self.peek()
        if char == ",":
            self.pos += 1
            return False
        if char == self.closer:
            self.pos += 1
            return True
        if not char:
            raise self.unclosed_entry()
        # "name =" right after a value: the comma between the two fields is missing.
        following = re.compile(rf"({_NAME.pattern})\s*=").match(self.text, self.pos)
        if following:
            raise _EntryError(self.line_at(self.pos),
                              f"missing comma before field {following[1]} in "
                              f"{self.where} (fix: add a comma after the value of "
                              f"{field})")
        raise _EntryError(self.line_at(self.pos),
                          f"unexpected {self.snippet(self.pos)!r} after the value of "
                          f"{field} in {self.where} (fix: put the whole value in braces, "
                          "or join its parts with #)")
