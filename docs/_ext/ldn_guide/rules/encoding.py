"""Whether a file's bytes are UTF-8, and where the first byte that is not is.

Used on pages and data files before Sphinx decodes them, and by ``bib_syntax`` on refs.bib.
"""

from __future__ import annotations

from . import Problem


def check_text_encoding(data: bytes) -> Problem | None:
    """None if ``data`` is valid UTF-8, else where its first bad byte is."""
    bad = first_bad_byte(data)
    if bad is None:
        return None
    offset, line, column = bad
    return Problem(line, f"byte 0x{data[offset]:02X} at column {column} is not UTF-8 "
                         "(fix: save the file as UTF-8)")


def first_bad_byte(data: bytes) -> tuple[int, int, int] | None:
    """(byte offset, line, character column) of the first byte that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
    else:
        return None
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    # Columns count characters, as an editor shows them, not bytes.
    column = len(data[line_start:offset].decode("utf-8")) + 1
    return offset, line, column
