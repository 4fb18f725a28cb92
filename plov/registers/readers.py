"""Streaming readers for register files that fail with `PATH:LINE: reason` (in Danish: the
agency's operators read them).

Both readers hold one record at a time (plus a small read buffer), so memory stays flat
whatever the file size. Both refuse what cannot be in a register's text: another encoding
than UTF-8 (UTF-16 is recognised and named), control characters, and for JSON records nested
deeper than MAX_JSON_DEPTH, larger than MAX_RECORD_BYTES or with a key twice in one object.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

# A register record (a SOR row, a CVR document, a DAR address) is a few kilobytes; the largest
# CVR documents with their whole history are well under a megabyte.
MAX_RECORD_BYTES = 8 * 1024 * 1024
# DAR is flat and CVR's documents are nested about six levels deep.
MAX_JSON_DEPTH = 64

# C0 control characters and DEL, searched for before the line ending (LF, CRLF or CR): tab is
# text, CR only part of a line ending.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A JSON escape of such a character (\u0000, \b, \f …), not preceded by an escaped backslash.
_ESCAPED_CONTROL = re.compile(
    r"(?<!\\)(?:\\\\)*(\\(?:u00(?:0[0-8bcef]|1[0-9a-f]|7f)|[bf]))", re.IGNORECASE
)
_ESCAPED_CONTROL_BYTES = re.compile(_ESCAPED_CONTROL.pattern.encode(), re.IGNORECASE)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# fmt: off
_CONTROL_NAMES = [
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
    "ESC", "FS", "GS", "RS", "US",
]
# fmt: on

_JSON_MESSAGES = {
    "Expecting value": "forventede en værdi",
    "Expecting ',' delimiter": "forventede ','",
    "Expecting ':' delimiter": "forventede ':'",
    "Expecting property name enclosed in double quotes": (
        "forventede et feltnavn i dobbelte anførselstegn"
    ),
    "Unterminated string starting at": "en tekst i anførselstegn slutter ikke på linjen",
    "Invalid control character at": "styretegn eller linjeskift i en tekst i anførselstegn",
    "Invalid \\escape": "ugyldig \\-sekvens i en tekst",
    "Invalid \\uXXXX escape": "ugyldig \\uXXXX-sekvens i en tekst",
    "Extra data": "tekst efter værdien",
}


class MalformedFile(Exception):
    """A register file that cannot be read as a whole. Nothing from it is imported."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}:{line}: {reason}")


def _control_name(char: str) -> str:
    code = ord(char)
    return f"U+{code:04X} ({_CONTROL_NAMES[code] if code < 32 else 'DEL'})"


_COMPRESSED = {
    b"\x1f\x8b": "gzip-komprimeret",
    b"PK\x03\x04": "et zip-arkiv",
    b"BZh": "bzip2-komprimeret",
    b"\xfd7zXZ\x00": "xz-komprimeret",
}


def _utf16_hint(head: bytes) -> str | None:
    """Name the encoding if the file's first bytes are UTF-16 or UTF-32 (by BOM or NULs)."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32 (med byte order mark)"
    if head.startswith(b"\xff\xfe"):
        return "UTF-16 little-endian (med byte order mark)"
    if head.startswith(b"\xfe\xff"):
        return "UTF-16 big-endian (med byte order mark)"
    sample = head[:512]
    pairs = len(sample) // 2
    if pairs >= 2:
        even_nul = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
        odd_nul = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
        # ASCII text in UTF-16 has a NUL in every other byte.
        if odd_nul >= pairs * 0.4 and even_nul <= pairs * 0.05:
            return "UTF-16 little-endian (uden byte order mark)"
        if even_nul >= pairs * 0.4 and odd_nul <= pairs * 0.05:
            return "UTF-16 big-endian (uden byte order mark)"
    return None


def _check_encoding(path: Path, handle: BinaryIO) -> None:
    """Refuse, by name, a file in UTF-16 or UTF-32, or still compressed."""
    head = handle.read(512)
    handle.seek(0)
    packed = next((name for magic, name in _COMPRESSED.items() if head.startswith(magic)), None)
    if packed:
        raise MalformedFile(path, 1, f"filen er {packed}; pak den ud, og importér selve filen")
    hint = _utf16_hint(head)
    if hint:
        raise MalformedFile(
            path,
            1,
            f"filen er kodet som {hint}, men registrenes filer er UTF-8; "
            "gem den som UTF-8 og importér den igen",
        )


def _decoded_lines(path: Path, handle: BinaryIO) -> Iterator[str]:
    """The file's lines as text, each checked for encoding, control characters and length."""
    _check_encoding(path, handle)
    number = 0
    while True:
        raw = handle.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            raise MalformedFile(
                path,
                number,
                f"linjen er længere end {MAX_RECORD_BYTES // (1024 * 1024)} MB; "
                "en post må højst fylde så meget (skriv én post pr. linje)",
            )
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = raw[exc.start : exc.start + 1].hex()
            raise MalformedFile(
                path,
                number,
                f"ikke gyldig UTF-8 (byte 0x{byte} i kolonne {exc.start + 1}); registrenes filer "
                "er UTF-8 – er denne gemt som Latin-1 eller Windows-1252?",
            ) from None
        end = len(text)
        if text.endswith("\n"):
            end -= 2 if text.endswith("\r\n") else 1
        elif text.endswith("\r"):
            end -= 1
        control = _CONTROL.search(text, 0, end)
        if control:
            raise MalformedFile(
                path,
                number,
                f"styretegn {_control_name(control.group())} i kolonne {control.start() + 1}; "
                "et registers tekst kan ikke indeholde styretegn – filen er beskadiget eller "
                "ikke en tekstfil",
            )
        yield text


_CSV_MESSAGES = [
    (
        re.compile(r"'(.)' expected after '\"'"),
        "forventede {0!r} efter et afsluttende anførselstegn",
    ),
    (re.compile(r"unexpected end of data"), "filen slutter inde i et felt i anførselstegn"),
    (re.compile(r"new-line character seen in unquoted field"), "linjeskift midt i et felt"),
    (re.compile(r"field larger than field limit \((\d+)\)"), "et felt er længere end {0} tegn"),
]


def _csv_reason(exc: csv.Error) -> str:
    for pattern, danish in _CSV_MESSAGES:
        match = pattern.search(str(exc))
        if match:
            return "ødelagt CSV: " + danish.format(*match.groups())
    return f"ødelagt CSV ({exc})"


class CsvRows:
    """A CSV file with a header row, read as (line number, list of fields).

    `columns` maps each header name to its index. The delimiter is sniffed among `delimiters`
    from the header line. Iterating raises MalformedFile for a row with the wrong number of
    fields, a broken quote, a control character or a bad encoding; the constructor for a
    missing column.
    """

    def __init__(self, path: Path, required: Iterable[str], *, delimiters: str = ";") -> None:
        self.path = Path(path)
        self._handle = self.path.open("rb")
        self._lines = _decoded_lines(self.path, self._handle)
        try:
            first = next(self._lines, "")
        except MalformedFile:
            self._handle.close()
            raise
        if not first.strip():
            self._handle.close()
            raise MalformedFile(self.path, 1, "filen er tom (der skal være en overskriftslinje)")
        self.delimiter = max(delimiters, key=first.count)
        header = [h.strip() for h in next(csv.reader([first], delimiter=self.delimiter))]
        missing = [c for c in required if c not in header]
        if missing:
            self._handle.close()
            raise MalformedFile(
                self.path,
                1,
                f"{'kolonnerne' if len(missing) > 1 else 'kolonnen'} {', '.join(missing)} "
                f"mangler (overskriften har: {', '.join(header)})",
            )
        self.header = header
        self.columns = {name: i for i, name in enumerate(header)}

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
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
                        f"forventede {width} felter, fandt {len(fields)} "
                        "(en afkortet linje eller et skilletegn for meget)",
                    )
                yield reader.line_num + 1, fields
        except csv.Error as exc:
            raise MalformedFile(self.path, reader.line_num + 1, _csv_reason(exc)) from None
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


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return record


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, dict | list))
    return False


def json_type(value: Any) -> str:
    """A JSON value's kind in Danish, for messages."""
    return {
        dict: "et objekt",
        list: "en liste",
        str: "en tekst",
        bool: "en sandhedsværdi",
        int: "et tal",
        float: "et tal",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _json_reason(exc: json.JSONDecodeError, column: int) -> str:
    return f"JSON-syntaksfejl: {_JSON_MESSAGES.get(exc.msg, exc.msg)} (kolonne {column})"


def read_json_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, value) for each record of a JSON array or of JSON Lines.

    Streams: it decodes one record at a time from a buffer, so a file of millions of
    records needs no more memory than one (at most MAX_RECORD_BYTES). Reports syntax errors,
    records nested too deep or too large, and duplicate keys with their line.
    """
    path = Path(path)
    decoder = json.JSONDecoder(object_pairs_hook=_unique_keys)
    with path.open("rb") as raw_handle:
        lines = _decoded_lines(path, raw_handle)
        buffer = ""
        pos = 0  # where the unread text starts in buffer
        line = 1  # line number of buffer[pos]
        eof = False
        chunk = 1  # JSON Lines: one line at a time; an array: 64 KB at a time

        def fill(at_least: int = 1) -> bool:
            """Append lines until at least `at_least` more characters; False at the end."""
            nonlocal buffer, pos, eof
            if pos:
                buffer, pos = buffer[pos:], 0
            added = 0
            chunks = [buffer]
            for text in lines:
                chunks.append(text)
                added += len(text)
                if added >= at_least:
                    break
            else:
                eof = True
            buffer = "".join(chunks)
            return added > 0

        def skip_whitespace() -> None:
            nonlocal pos, line
            while True:
                end = _WHITESPACE.match(buffer, pos).end()
                if end != pos:
                    line += buffer.count("\n", pos, end)
                    pos = end
                if pos < len(buffer) or eof or not fill(chunk):
                    return

        def error(at: int, reason: str) -> MalformedFile:
            if at >= len(buffer) and buffer.endswith("\n"):
                at = len(buffer) - 1  # a record cut off at the end of its line
            return MalformedFile(path, line + buffer.count("\n", pos, at), reason)

        def column(at: int) -> int:
            return at - (buffer.rfind("\n", 0, at) + 1) + 1

        skip_whitespace()
        if pos >= len(buffer):
            return
        in_array = buffer[pos] == "["
        if in_array:
            chunk = 65536
            pos += 1
            skip_whitespace()
            if buffer.startswith("]", pos):
                pos += 1
                skip_whitespace()
                if pos < len(buffer):
                    raise error(pos, "tekst efter den afsluttende ']'")
                return
        while True:
            skip_whitespace()
            if pos >= len(buffer):
                if in_array:
                    raise error(pos, "JSON-listen er ikke lukket med ']'")
                return
            while True:
                try:
                    value, end = decoder.raw_decode(buffer, pos)
                    break
                except json.JSONDecodeError as exc:
                    # In JSON Lines a record is one line: a line that fails is wrong. In an
                    # array a record may span lines: it is only incomplete if the error lies on
                    # the buffer's last line (no JSON text continues a line onto the next).
                    incomplete = in_array and "\n" not in buffer[exc.pos : len(buffer) - 1]
                    at = min(exc.pos, len(buffer.rstrip("\n")))
                    syntax_error = error(at, _json_reason(exc, column(at)))
                    if not incomplete or eof:
                        raise syntax_error from None
                    if len(buffer) - pos > MAX_RECORD_BYTES:
                        raise error(
                            pos,
                            f"JSON-posten er større end {MAX_RECORD_BYTES // (1024 * 1024)} MB",
                        ) from None
                    # Read ahead geometrically, so a record of many lines is re-parsed only a
                    # few times. (fill moves the buffer: the error above is computed before.)
                    if not fill(max(len(buffer) - pos, chunk)):
                        raise syntax_error from None
                except _DuplicateKey as exc:
                    raise error(
                        pos, f"feltet {exc.key!r} står to gange i samme JSON-objekt"
                    ) from None
                except RecursionError:
                    raise error(
                        pos, f"JSON-posten er indlejret mere end {MAX_JSON_DEPTH} niveauer"
                    ) from None
            if end - pos > MAX_RECORD_BYTES:
                raise error(
                    pos, f"JSON-posten er større end {MAX_RECORD_BYTES // (1024 * 1024)} MB"
                )
            has_escape = buffer.find("\\", pos, end) != -1
            escaped = _ESCAPED_CONTROL.search(buffer, pos, end) if has_escape else None
            if escaped:
                raise error(
                    escaped.start(1),
                    f"styretegn ({escaped.group(1)}) i en tekst; et registers tekst kan ikke "
                    "indeholde styretegn",
                )
            if buffer.count("{", pos, end) + buffer.count(
                "[", pos, end
            ) > MAX_JSON_DEPTH and _deeper_than(value, MAX_JSON_DEPTH):
                raise error(pos, f"JSON-posten er indlejret mere end {MAX_JSON_DEPTH} niveauer")
            record_line = line
            line += buffer.count("\n", pos, end)
            pos = end
            yield record_line, value
            skip_whitespace()
            if in_array:
                if buffer.startswith(",", pos):
                    pos += 1
                elif buffer.startswith("]", pos):
                    pos += 1
                    skip_whitespace()
                    if pos < len(buffer):
                        raise error(pos, "tekst efter den afsluttende ']'")
                    return
                elif pos < len(buffer):
                    raise error(
                        pos,
                        f"forventede ',' eller ']' mellem posterne, fandt {buffer[pos]!r}",
                    )
                else:
                    raise error(pos, "JSON-listen er ikke lukket med ']'")


def needs_shared_reader(text: bytes, value: dict) -> bool:
    """For a register's own faster decoder of JSON Lines (DAR's msgspec): whether a line it
    decoded as `value` must be read by read_json_records instead, which refuses what a fast
    decoder lets pass: a key twice in one object (msgspec keeps the last), an escaped control
    character, a CR inside the line, DEL. Exact for flat objects; an array anywhere, a
    nested object with keys, and a line with both a colon in a text and a space or tab before
    a key's colon go to the shared reader. Written for speed: DAR runs it on 3.6 million
    lines."""
    # A colon is a key's or is inside a text: as many colons as distinct keys means no key
    # twice and no colon in a text (one pass, where the exact check below takes three).
    # `find`, not `in`: `bytes in bytes` first tries its operand as an integer and formats
    # the error it then drops, which costs more than the search.
    find = text.find
    keys = len(value)
    if text.count(b":") != keys and (
        text.count(b'":') != keys or find(b" :") != -1 or find(b"\t:") != -1
    ):
        return True
    if find(b"[") != -1 or find(b"\x7f") != -1:
        return True
    if find(b"\r") != -1 and text.count(b"\r") > text.endswith(b"\r\n"):
        return True
    return find(b"\\") != -1 and _ESCAPED_CONTROL_BYTES.search(text) is not None
