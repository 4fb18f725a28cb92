"""Text as plov stores it: without invisible format characters.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) can make a title
or a file name read differently from what it is ("rapport‮fdp.exe"), and other invisible format
characters (Unicode category Cf: zero-width spaces, word joiners, the byte order mark, soft
hyphens, the "tag" characters that smuggle hidden ASCII) make two texts that look alike differ,
so that search, sorting and comparisons fail. All of them are removed on save, with two
exceptions that change how visible text is drawn and carry no hidden meaning: the zero-width
joiner U+200D (emoji sequences such as 👩‍⚕️) and the zero-width non-joiner U+200C (needed in
Persian and Indic scripts). The soft hyphen U+00AD is removed too: it only marks where a word
may break, and the public site hyphenates Danish itself.

`strip_invisible` is the one function; `InvisibleCharactersRemoved` applies it to every text
field of a form before the field validates it (so a value of only invisible characters is
"required" like an empty one, and max_length counts what is kept).
"""

from __future__ import annotations

import unicodedata

from django import forms

KEPT = {"\u200c", "\u200d"}  # zero-width non-joiner, zero-width joiner


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" and char not in KEPT


def strip_invisible(value: str) -> str:
    """`value` without invisible format characters (see the module's docstring)."""
    if not value or value.isascii():
        return value
    return "".join(char for char in value if not is_invisible(char))


class InvisibleCharactersRemoved:
    """A form mixin: every `CharField` (and subclass: URL, e-mail, plain text, rich text) of
    the form has invisible format characters removed before it is validated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.to_python = _stripping(field.to_python)


def _stripping(to_python):
    def clean(value):
        return to_python(strip_invisible(value) if isinstance(value, str) else value)

    return clean
