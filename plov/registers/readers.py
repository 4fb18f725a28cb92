"""Streaming readers for register files that fail with `PATH:LINE: reason`.

Both readers hold one record at a time (plus a small read buffer), so memory stays flat
whatever the file size.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


class MalformedFile(Exception):
    """A register file that cannot be read as a whole. Nothing from it is imported."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}:{line}: {reason}")


def _decoded_lines(path: Path, handle: Iterable[bytes]) -> Iterator[str]:
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = raw[exc.start : exc.start + 1].hex()
            raise MalformedFile(
                path,
                number,
                f"not valid UTF-8 (byte 0x{byte} at column {exc.start + 1}); "
                "the register files are UTF-8, was this one saved as Latin-1 or Windows-1252?",
            ) from None


def read_csv(
    path: Path, required_columns: Iterable[str], *, delimiters: str = ";"
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row of a CSV file with a header row.

    The delimiter is sniffed among `delimiters` from the header line. Raises MalformedFile for a
    missing column, a row with the wrong number of fields, a broken quote, a bad encoding.
    """
    path = Path(path)
    with path.open("rb") as handle:
        lines = _decoded_lines(path, handle)
        try:
            first = next(lines)
        except StopIteration:
            raise MalformedFile(path, 1, "the file is empty (expected a header row)") from None
        delimiter = max(delimiters, key=first.count)

        def all_lines() -> Iterator[str]:
            yield first
            yield from lines

        reader = csv.reader(all_lines(), delimiter=delimiter, strict=True)
        try:
            header = [h.strip() for h in next(reader)]
            missing = [c for c in required_columns if c not in header]
            if missing:
                raise MalformedFile(
                    path,
                    1,
                    f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                    f"(the header has: {', '.join(header)})",
                )
            width = len(header)
            row_start = reader.line_num + 1
            for fields in reader:
                if not fields or fields == [""]:
                    row_start = reader.line_num + 1
                    continue
                if len(fields) != width:
                    raise MalformedFile(
                        path,
                        row_start,
                        f"expected {width} fields, found {len(fields)} "
                        "(a truncated line or a stray separator)",
                    )
                yield row_start, dict(zip(header, fields, strict=True))
                row_start = reader.line_num + 1
        except csv.Error as exc:
            raise MalformedFile(path, reader.line_num, f"broken CSV: {exc}") from None


def read_json_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, value) for each record of a JSON array or of JSON Lines.

    Streams: it decodes one record at a time from a buffer, so a file of millions of
    records needs no more memory than one. Reports syntax errors with their line.
    """
    path = Path(path)
    decoder = json.JSONDecoder()
    with path.open("rb") as raw_handle:
        lines = _decoded_lines(path, raw_handle)
        buffer = ""
        line_offset = 1  # line number of buffer[0]
        eof = False

        def fill() -> bool:
            nonlocal buffer, eof
            try:
                buffer += next(lines)
                return True
            except StopIteration:
                eof = True
                return False

        def skip_whitespace() -> None:
            nonlocal buffer, line_offset
            while True:
                stripped = buffer.lstrip()
                line_offset += buffer.count("\n", 0, len(buffer) - len(stripped))
                buffer = stripped
                if buffer or not fill():
                    return

        skip_whitespace()
        if not buffer:
            return
        in_array = buffer.startswith("[")
        if in_array:
            buffer = buffer[1:]
            skip_whitespace()
            if buffer.startswith("]"):
                return
        while True:
            skip_whitespace()
            if not buffer:
                if in_array:
                    raise MalformedFile(path, line_offset, "JSON array is not closed with ']'")
                return
            while True:
                try:
                    value, end = decoder.raw_decode(buffer)
                    break
                except json.JSONDecodeError as exc:
                    # An incomplete record needs more text; a wrong one is an error.
                    # In JSON Lines a record is one line: a whole line that fails is wrong.
                    if not in_array and buffer.endswith("\n"):
                        raise MalformedFile(
                            path, line_offset, f"JSON syntax error: {exc.msg} (column {exc.colno})"
                        ) from None
                    if eof or not fill():
                        raise MalformedFile(
                            path,
                            line_offset + exc.lineno - 1,
                            f"JSON syntax error: {exc.msg} (column {exc.colno})",
                        ) from None
            record_line = line_offset
            line_offset += buffer.count("\n", 0, end)
            buffer = buffer[end:]
            yield record_line, value
            skip_whitespace()
            if in_array:
                if buffer.startswith(","):
                    buffer = buffer[1:]
                elif buffer.startswith("]"):
                    buffer = buffer[1:]
                    skip_whitespace()
                    if buffer:
                        raise MalformedFile(path, line_offset, "text after the closing ']'")
                    return
                elif buffer:
                    raise MalformedFile(
                        path,
                        line_offset,
                        f"expected ',' or ']' between records, found {buffer[0]!r}",
                    )
                else:
                    raise MalformedFile(path, line_offset, "JSON array is not closed with ']'")
