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


def _decode_error(path: Path) -> MalformedFile:
    """Find the line of the first byte sequence that is not UTF-8 (only when one exists)."""
    with path.open("rb") as handle:
        try:
            for _ in _decoded_lines(path, handle):
                pass
        except MalformedFile as exc:
            return exc
    return MalformedFile(path, 1, "not valid UTF-8")


class CsvRows:
    """A CSV file with a header row, read as (line number, list of fields).

    `columns` maps each header name to its index. The delimiter is sniffed among `delimiters`
    from the header line. Iterating raises MalformedFile for a row with the wrong number of
    fields, a broken quote or a bad encoding; the constructor for a missing column.
    """

    def __init__(self, path: Path, required: Iterable[str], *, delimiters: str = ";") -> None:
        self.path = Path(path)
        self._handle = self.path.open(encoding="utf-8-sig", newline="")
        try:
            first = self._handle.readline()
        except UnicodeDecodeError:
            self._handle.close()
            raise _decode_error(self.path) from None
        if not first.strip():
            self._handle.close()
            raise MalformedFile(self.path, 1, "the file is empty (expected a header row)")
        self.delimiter = max(delimiters, key=first.count)
        header = [h.strip() for h in next(csv.reader([first], delimiter=self.delimiter))]
        missing = [c for c in required if c not in header]
        if missing:
            self._handle.close()
            raise MalformedFile(
                self.path,
                1,
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(the header has: {', '.join(header)})",
            )
        self.header = header
        self.columns = {name: i for i, name in enumerate(header)}

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._handle, delimiter=self.delimiter, strict=True)
        width = len(self.header)
        try:
            # The line reported is the row's last physical line (+1 for the header): the same
            # as its first, except for a row with a quoted line break.
            for fields in reader:
                if len(fields) != width:
                    if not fields or fields == [""]:
                        continue
                    raise MalformedFile(
                        self.path,
                        reader.line_num + 1,
                        f"expected {width} fields, found {len(fields)} "
                        "(a truncated line or a stray separator)",
                    )
                yield reader.line_num + 1, fields
        except csv.Error as exc:
            raise MalformedFile(self.path, reader.line_num + 1, f"broken CSV: {exc}") from None
        except UnicodeDecodeError:
            raise _decode_error(self.path) from None
        finally:
            self._handle.close()


def read_csv(
    path: Path, required_columns: Iterable[str], *, delimiters: str = ";"
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row as dict) for each data row; see CsvRows."""
    rows = CsvRows(path, required_columns, delimiters=delimiters)
    header = rows.header
    for line, fields in rows:
        yield line, dict(zip(header, fields, strict=True))


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
