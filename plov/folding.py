"""Text folding for search: one function, `fold`, shared by the public search (names, towns)
and the DAR address suggestions (the `search_text` the DAR import stores).

'Plejecenter Solgården' → 'plejecenter solgaarden'; 'ÆRØSKØBING' and 'aeroeskoebing' alike:
lower case, æ → ae, ø → oe, å → aa (and ä, ö, ü), accents removed ('Allé' → 'alle'), every run of
other characters (punctuation, spaces) one space. The result is ASCII letters, digits and single
spaces, so that it sorts bytewise and a prefix of it is a prefix of what the citizen typed.

`normalise` is the public search's name for `fold`; `danish_sort_key` orders names as Danish
does (… x y z æ ø å).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_OTHER = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """`text` folded for search (see the module's docstring)."""
    text = unicodedata.normalize("NFC", text or "").casefold().translate(_FOLD)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _OTHER.sub(" ", text).strip()


# The DAR import folds each of 3.6 million addresses' parts: streets, towns, floors and doors
# repeat, so each distinct one is folded once. Pure: nothing in the cache can go stale.
fold_cached = lru_cache(maxsize=1 << 18)(fold)


def normalise(text: str) -> str:
    """'Plejecenter Solgården' → 'plejecenter solgaarden'; 'SOLGAARDEN' → 'solgaarden'."""
    return fold(text)


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "é": "e"})


def danish_sort_key(name: str) -> str:
    """Danish alphabetical order: … x y z æ ø å (and 'aa' as 'å')."""
    text = unicodedata.normalize("NFC", name).casefold().replace("aa", "å")
    return text.translate(_DANISH_ORDER)
