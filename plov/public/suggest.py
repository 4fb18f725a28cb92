"""Address suggestions as you type: `suggest("solvej 4 aar")` → the best 10 DAR addresses.

Plain query functions, no HTTP (the JSON endpoint is `/api/v1/adresser`, plov.opendata.api;
the combobox on the search form calls it).

What is typed is folded as the DAR import folded every address (plov.folding: case, æ/ae,
ø/oe, å/aa, punctuation) and read as `street [number [floor] [door]] [postcode] [town]`:

- a street, then a house number: addresses (`kind` "address"). The street is matched as a
  prefix of the street's name ("solv" → Solvej, Solvænget) and, if no name starts so, with a
  small typo (pg_trgm's similarity on PostgreSQL; SQLite, the demo, only matches prefixes);
  the number exactly ("4": 4, 4A, floors and doors of 4) before the numbers it begins
  ("4": 40, 41 …); the address itself before its floors and doors.
- a street without a number: streets in a postcode (`kind` "street"), whose centre the
  search uses ("Solvej, 8000 Aarhus C").
- a postcode or a town alone: postcodes (`kind` "postcode", "8000 Aarhus C").
- a postcode or a town anywhere after the street narrows the suggestions to it; without one
  every town is suggested.

Every suggestion's `text` is what the search's `adresse` field understands (plov.public.places
geocodes it to the same place). One to three indexed queries: DarStreet (a few hundred
thousand streets) first, then the addresses of the best streets by their `search_text` prefix;
on PostgreSQL both in one statement that also ranks them (`_ranked_addresses`), so that only
the ten best rows reach Python.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from rapidfuzz import fuzz, process

from plov.folding import fold, fold_cached
from plov.registers.dar import VALID_STATUSES
from plov.registers.models import DarAddress, DarPostcode, DarStreet

LIMIT = 10
MAX_QUERY = 100
# Streets considered per query; addresses read per street name.
STREETS = 20
ADDRESS_ROWS = 200
# A typo is looked for only in a street name this long (shorter: prefixes only).
TYPO_MIN = 4
TOWN_SCORE = 80  # rapidfuzz ratio for a town name with a typo

NUMBER = re.compile(r"^\d{1,3}[a-z]?$")
POSTCODE = re.compile(r"^\d{4}$")
POSTCODE_PREFIX = re.compile(r"^\d{1,4}$")
FLOOR = re.compile(r"^(st|kl|k\d|\d{1,2})$")
DOOR = re.compile(r"^(tv|th|mf|\d{1,3}|[a-z]\d{0,3})$")
FLOOR_ORDER = {"kl": -2, "st": -1}


@dataclass
class Suggestion:
    kind: str  # "address", "street" or "postcode"
    text: str
    street: str | None
    house_number: str | None
    floor: str | None
    door: str | None
    postcode: str
    town: str
    latitude: float
    longitude: float
    id: str | None = None  # the DAR address id (kind "address")

    def as_dict(self) -> dict:
        return dict(self.__dict__)  # the fields in order; asdict() costs a millisecond a list


@dataclass
class Parsed:
    street: str = ""  # folded
    number: str = ""  # folded house number, e.g. "4a"
    floor_door: tuple[str, ...] = ()
    postcode: str = ""
    town: str = ""  # folded, possibly the beginning of a town's name


def address_text(street, number, floor, door, postcode, town) -> str:
    """'Solvej 4, 1. tv, 8000 Aarhus C' (as DAWA writes an address)."""
    text = " ".join(p for p in (street, number) if p)
    floor_door = ". ".join(p for p in (floor, door) if p)
    if floor_door:
        text = f"{text}, {floor_door}"
    place = " ".join(p for p in (postcode, town) if p)
    return ", ".join(p for p in (text, place) if p)


def parse(text: str) -> Parsed:
    tokens = fold(text[:MAX_QUERY]).split()
    parsed = Parsed()
    number_at = next(
        (i for i, t in enumerate(tokens) if i > 0 and NUMBER.match(t)),
        None,
    )
    if number_at is None:
        words = [t for t in tokens if not POSTCODE.match(t)]
        postcodes = [t for t in tokens if POSTCODE.match(t)]
        parsed.postcode = postcodes[0] if postcodes else ""
        parsed.street = " ".join(words)
        return parsed
    parsed.street = " ".join(tokens[:number_at])
    number = tokens[number_at]
    rest = tokens[number_at + 1 :]
    # "4 a" as typed is the house number 4A
    if rest and len(rest[0]) == 1 and rest[0].isalpha() and number.isdigit():
        number += rest.pop(0)
    parsed.number = number
    floor_door: list[str] = []
    if rest and FLOOR.match(rest[0]):
        floor_door.append(rest.pop(0))
        if rest and DOOR.match(rest[0]) and not POSTCODE.match(rest[0]):
            floor_door.append(rest.pop(0))
    parsed.floor_door = tuple(floor_door)
    town_words = []
    for token in rest:
        if POSTCODE.match(token) and not parsed.postcode:
            parsed.postcode = token
        elif not token.isdigit():
            town_words.append(token)
    parsed.town = " ".join(town_words)
    return parsed


# --- Queries ---------------------------------------------------------------------------------


POSTCODES_CACHE = "plov:dar:postcodes:v1"
# The answers to what was typed, in the shared cache under a generation that a DAR import
# which changed something renews (plov.registers.dar.forget_postcodes): the same few
# thousand beginnings ("so", "sol", "solv" …) are typed all day, and DAR changes once a night.
ANSWERS_GENERATION = "plov:dar:suggestions:generation"
ANSWER_TIMEOUT = 3600


def postcode_names() -> dict[str, str]:
    """{postcode: name} for every postcode in DAR (about 1,100), from the shared cache (the
    DAR import forgets it when it has recomputed the postcodes)."""
    names = cache.get(POSTCODES_CACHE)
    if names is None:
        names = dict(DarPostcode.objects.values_list("postcode", "name"))
        cache.set(POSTCODES_CACHE, names, 3600)
    return names


def _postcodes_named(town: str) -> dict[str, str] | None:
    """{postcode: name} of the postcodes whose folded name begins with `town` (or, failing
    that, is it with a small typo); None when no postcode's name is like it."""
    names = postcode_names()
    found = {p: n for p, n in names.items() if fold_cached(n).startswith(town)}
    if found:
        return found
    if len(town) >= TYPO_MIN:
        folded = {p: fold_cached(n) for p, n in names.items()}
        best = process.extract(town, folded, scorer=fuzz.ratio, score_cutoff=TOWN_SCORE, limit=None)
        if best:
            top = best[0][1]
            return {p: names[p] for _name, score, p in best if score == top}
    return None


def _streets(
    street: str, postcodes: list[str] | None, limit: int, typos: bool = True
) -> list[dict]:
    """DarStreet rows whose folded name begins with `street` (rank 1; 0 when it is the whole
    name); if there are none, those like it with a small typo (rank 2, PostgreSQL only)."""
    columns = ["street_name", "postcode", "town", "street_key", "latitude", "longitude"]
    columns.append("addresses")
    if connection.vendor != "postgresql":
        rows = DarStreet.objects.filter(street_key__startswith=street)
        if postcodes is not None:
            rows = rows.filter(postcode__in=postcodes)
        found = list(rows.order_by("street_key", "-addresses", "postcode").values(*columns)[:limit])
        for row in found:
            row["rank"], row["similarity"] = (0 if row["street_key"] == street else 1), 1.0
        return found
    where_postcode = " AND postcode = ANY(%(postcodes)s)" if postcodes is not None else ""
    select = f"SELECT {', '.join(columns)} FROM {DarStreet._meta.db_table}"
    params = {"street": street, "postcodes": postcodes}
    # In the names' bytewise order, which puts the whole name first ("solvej" before
    # "solvejen"), the biggest of a name's postcodes first: the index's order.
    rows = _fetch_prepared(
        f"{select} WHERE {_STARTS_WITH}{where_postcode} "
        'ORDER BY street_key COLLATE "C", addresses DESC, postcode LIMIT %(limit)s',
        {**params, "limit": limit},
    )
    found = [dict(zip(columns, row, strict=True)) for row in rows]
    for row in found:
        row["rank"], row["similarity"] = (0 if row["street_key"] == street else 1), 1.0
    if not found and typos and len(street) >= TYPO_MIN:
        # _LIKE_IT finds them; the exact similarity orders.
        rows = _fetch_prepared(
            f"SELECT {', '.join(columns)}, similarity(street_key, %(street)s) AS similarity "
            f"FROM {DarStreet._meta.db_table} WHERE {_LIKE_IT}{where_postcode} "
            "ORDER BY similarity DESC, addresses DESC, street_key, postcode LIMIT %(limit)s",
            {**params, "limit": limit, "swaps": swapped_letters(street)},
        )
        seen = {(r["street_key"], r["postcode"]) for r in found}
        for row in rows:
            record = dict(zip(columns, row[:-1], strict=True))
            if (record["street_key"], record["postcode"]) in seen:
                continue
            record["rank"], record["similarity"] = 2, row[-1]
            found.append(record)
    return found[:limit]


def _fetch_prepared(sql: str, params: dict) -> list[tuple]:
    """PostgreSQL: run `sql` as a prepared statement on Django's connection (psycopg binds the
    parameters server-side and keeps the plan per connection). Planning these statements
    costs more than running them (2 ms against 0.3–3 ms), and they run on every keystroke;
    Django's cursors bind client-side, so they cannot prepare. The statements must stay
    plannable without their values: no `LIKE %s` (a generic plan cannot use the index for
    it), ranges instead."""
    import psycopg

    connection.ensure_connection()
    start = time.perf_counter()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = cursor.fetchall()
    if connection.queries_logged:  # counted and shown as Django's own queries are
        connection.queries_log.append(
            {"sql": sql, "time": f"{time.perf_counter() - start:.3f}", "params": params}
        )
    return rows


def _like_prefix(text: str) -> str:
    # The folded text has no % nor _ (letters, digits, spaces only).
    return f"{text}%"


def _addresses(keys: dict[str, set[str]], number: str) -> list[dict]:
    """SQLite (and other databases): valid addresses with coordinates on the streets `keys`
    ({folded street name: its postcodes}) whose house number is `number` or begins with it,
    per street in bytewise order (the number itself and its floors first). PostgreSQL reads
    them with the streets in one statement: `_street_addresses`."""
    columns = ["id", "street_name", "house_number", "floor", "door", "postcode"]
    columns += ["postcode_name", "latitude", "longitude", "search_text"]
    rows = []
    for key, postcodes in keys.items():
        found = (
            DarAddress.objects.filter(
                search_text__startswith=f"{key} {number}",
                postcode__in=sorted(postcodes),
                status__in=sorted(VALID_STATUSES),
                latitude__isnull=False,
            )
            .order_by("search_text")
            .values(*columns)[:ADDRESS_ROWS]
        )
        rows += [dict(row, street_key=key) for row in found]
    return rows


# A street key begins with %(street)s: a range in bytewise order (the folded text is ASCII
# letters, digits and spaces, all before "~"), which a prepared statement's plan can use.
_STARTS_WITH = (
    '(street_key COLLATE "C") >= %(street)s AND (street_key COLLATE "C") < %(street)s || \'~\''
)
# A street key like %(street)s: pg_trgm's % (similarity at least 0.3, by the GIN index), or the
# text with two neighbouring letters swapped (%(swaps)s, by the bytewise index): a swap in a
# short name leaves too few trigrams in common ("slovej" and "solvej" share 3 of 11: 0.27).
_LIKE_IT = '(street_key %% %(street)s OR (street_key COLLATE "C") = ANY(%(swaps)s))'


def swapped_letters(text: str) -> list[str]:
    """`text` with each pair of neighbouring letters swapped: "slovej" → "lsovej", "solvej" …"""
    swaps = {
        text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        for i in range(len(text) - 1)
        if text[i] != text[i + 1] and " " not in text[i : i + 2]
    }
    return sorted(swaps - {text})


STREET_ROWS = 20  # addresses read per street and postcode (in bytewise order: the number first)
_ADDRESS_COLUMNS = ["street_name", "house_number", "floor", "door", "postcode_name"]
_ADDRESS_COLUMNS += ["latitude", "longitude", "id"]
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _ranked_addresses(
    street: str, number: str, floor_door: tuple[str, ...], postcodes: list[str] | None,
    limit: int,
) -> list[dict]:  # fmt: skip
    """PostgreSQL: the best `limit` addresses numbered `number` (or a number it begins) on the
    streets whose name begins with `street` (or, when that finds no address, with a small
    typo: a second statement), in one statement each: the candidate streets, each street's
    first STREET_ROWS addresses from that number on by the search text's prefix index, ranked
    in SQL as `_rank` ranks them (so only `limit` rows come back to Python). Each row is a
    dict of _ADDRESS_COLUMNS and "postcode"."""
    table, streets_table = DarAddress._meta.db_table, DarStreet._meta.db_table
    where_postcode = " AND postcode = ANY(%(postcodes)s)" if postcodes is not None else ""
    # The folded text is ASCII letters, digits and spaces; every character sorts before "~".
    # hk: the folded house number as the search text holds it; fk, dk: floor and door.
    addresses = (
        "CROSS JOIN LATERAL (SELECT "
        + ", ".join(f"a.{c}" for c in _ADDRESS_COLUMNS)
        + ", a.search_text, split_part(substr(a.search_text, length(s.street_key) + 2), ' ', 1) "
        "AS hk, coalesce(lower(a.floor), '') AS fk, coalesce(lower(a.door), '') AS dk "
        f"FROM {table} AS a "
        'WHERE (a.search_text COLLATE "C") >= s.street_key || %(number)s '
        "AND (a.search_text COLLATE \"C\") < s.street_key || %(number)s || '~' "
        "AND a.postcode = s.postcode AND a.status = ANY(%(statuses)s) "
        "AND a.latitude IS NOT NULL "
        'ORDER BY a.search_text COLLATE "C" LIMIT %(rows)s) AS a'
    )
    fits = "(a.fk LIKE %(floor)s AND a.dk LIKE %(door)s)"
    floor_rank = (
        "CASE WHEN a.fk = 'kl' THEN -2 WHEN a.fk = 'st' THEN -1 "
        "WHEN a.fk ~ '^[0-9]+$' THEN a.fk::int ELSE 100 END"
    )
    select = (
        f"SELECT {fits} AS fits, "
        + ", ".join(f"a.{c}" for c in _ADDRESS_COLUMNS)
        + f", s.postcode FROM candidates AS s {addresses} ORDER BY "
        # what the floor and door typed leave out last (dropped below, after the LIMIT, so
        # that a street with addresses but not that floor does not send us to typos)
        f"{fits} DESC, s.rank, s.similarity DESC, "
        "CASE WHEN a.hk = %(house)s THEN 0 "
        f"WHEN rtrim(a.hk, '{_LETTERS}') = %(house)s THEN 1 ELSE 2 END, "  # 4, then 4A, then 40
        "(a.fk <> '' OR a.dk <> ''), "  # the address itself before its floors and doors
        "coalesce(substring(a.hk from '^[0-9]+')::int, 0), "
        "regexp_replace(a.hk, '^[0-9]*', '') COLLATE \"C\", s.n, "
        f"{floor_rank}, CASE WHEN a.fk ~ '^([0-9]+|kl|st)$' THEN '' ELSE a.fk END COLLATE \"C\", "
        'a.dk COLLATE "C", a.search_text COLLATE "C", a.id LIMIT %(limit)s'
    )
    prefix = (
        "WITH candidates AS (SELECT street_key, postcode, "
        "CASE WHEN street_key = %(street)s THEN 0 ELSE 1 END AS rank, 1.0::real AS similarity, "
        'row_number() OVER (ORDER BY street_key COLLATE "C", addresses DESC, postcode) AS n '
        f"FROM {streets_table} WHERE {_STARTS_WITH}{where_postcode} "
        'ORDER BY street_key COLLATE "C", addresses DESC, postcode LIMIT %(streets)s) '
    )
    typo = (
        "WITH candidates AS (SELECT street_key, postcode, 2 AS rank, "
        "similarity(street_key, %(street)s) AS similarity, row_number() OVER ("
        "ORDER BY similarity(street_key, %(street)s) DESC, addresses DESC, street_key, "
        f"postcode) AS n FROM {streets_table} WHERE {_LIKE_IT}{where_postcode} "
        "ORDER BY similarity(street_key, %(street)s) DESC, addresses DESC, street_key, "
        "postcode LIMIT %(streets)s) "
    )
    params = {
        "street": street,
        "postcodes": postcodes,
        "number": f" {number}",
        "house": number,
        "floor": _like_prefix(floor_door[0] if floor_door else ""),
        "door": _like_prefix(floor_door[1] if len(floor_door) > 1 else ""),
        "statuses": sorted(VALID_STATUSES),
        "rows": STREET_ROWS,
        "streets": STREETS,
        "limit": limit,
        "swaps": swapped_letters(street),
    }
    statements = [prefix] + ([typo] if len(street) >= TYPO_MIN else [])
    names = [*_ADDRESS_COLUMNS, "postcode"]
    for head in statements:
        found = _fetch_prepared(head + select, params)
        if found:
            break
    return [dict(zip(names, row[1:], strict=True)) for row in found if row[0]]


# --- Ranking ---------------------------------------------------------------------------------


def _number_parts(house_key: str) -> tuple[int, str]:
    match = re.match(r"(\d*)(.*)", house_key)
    digits, letter = match.group(1), match.group(2)
    return (int(digits) if digits else 0), letter


def _floor_order(floor: str) -> tuple[int, str]:
    key = fold_cached(floor)
    if key in FLOOR_ORDER:
        return FLOOR_ORDER[key], ""
    return (int(key), "") if key.isdigit() else (100, key)


def _fits_floor_door(row: dict, wanted: tuple[str, ...]) -> bool:
    """The typed floor (and door) begin the address's floor (and door)."""
    if not wanted:
        return True
    floor, door = fold_cached(row["floor"]), fold_cached(row["door"])
    if not floor.startswith(wanted[0]):
        return False
    return len(wanted) < 2 or door.startswith(wanted[1])


def _street_suggestion(row: dict) -> Suggestion:
    return Suggestion(
        kind="street",
        text=address_text(row["street_name"], None, None, None, row["postcode"], row["town"]),
        street=row["street_name"],
        house_number=None,
        floor=None,
        door=None,
        postcode=row["postcode"],
        town=row["town"],
        latitude=round(row["latitude"], 6),
        longitude=round(row["longitude"], 6),
    )


def _postcode_suggestions(postcodes: dict[str, str]) -> list[Suggestion]:
    centres = DarPostcode.objects.filter(postcode__in=list(postcodes)).order_by("postcode")
    return [
        Suggestion(
            kind="postcode",
            text=f"{p.postcode} {p.name}".strip(),
            street=None,
            house_number=None,
            floor=None,
            door=None,
            postcode=p.postcode,
            town=p.name,
            latitude=round(p.latitude, 6),
            longitude=round(p.longitude, 6),
        )
        for p in centres[:LIMIT]
    ]


def typed_key(text: str) -> str:
    """What `suggest` makes of `text`: folded, its words separated by one space."""
    return " ".join(fold((text or "")[:MAX_QUERY]).split())


def suggestions_json(text: str) -> str:
    """`suggest(text)` as a JSON list, from the shared cache when the same text (folded) was
    typed since the last DAR import that changed something."""
    generation = cache.get(ANSWERS_GENERATION)
    if generation is None:
        cache.add(ANSWERS_GENERATION, time.time_ns(), None)
        generation = cache.get(ANSWERS_GENERATION, "none")
    digest = hashlib.sha256(typed_key(text).encode()).hexdigest()[:32]
    key = f"plov:dar:suggestions:{generation}:{digest}"
    answer = cache.get(key)
    if answer is None:
        items = [s.as_dict() for s in suggest(text)]
        answer = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
        cache.set(key, answer, ANSWER_TIMEOUT)
    return answer


def suggest(text: str, limit: int = LIMIT) -> list[Suggestion]:
    """The best `limit` suggestions for what has been typed so far (see the module)."""
    digits = fold((text or "")[:MAX_QUERY])
    if POSTCODE_PREFIX.match(digits):  # "80": the postcodes it begins
        found = DarPostcode.objects.filter(postcode__startswith=digits).order_by("postcode")
        return _postcode_suggestions(dict(found.values_list("postcode", "name")[:limit]))
    parsed = parse(text or "")
    if not parsed.street and not parsed.postcode:
        return []
    postcodes: list[str] | None = None
    if parsed.town:
        named = _postcodes_named(parsed.town)
        if named is None:
            return []
        postcodes = sorted(named)
    if parsed.postcode:
        postcodes = [p for p in (postcodes or [parsed.postcode]) if p == parsed.postcode]
    if not parsed.number:
        return _without_number(parsed, postcodes, limit)

    if connection.vendor == "postgresql":
        rows = _ranked_addresses(parsed.street, parsed.number, parsed.floor_door, postcodes, limit)
    else:
        rows = _ranked_in_python(parsed, postcodes)
    return [_address_suggestion(r) for r in rows[:limit]]


def _ranked_in_python(parsed: Parsed, postcodes: list[str] | None) -> list[dict]:
    """SQLite (the demo): the candidate streets and their addresses, ranked here as
    `_ranked_addresses` ranks them in SQL on PostgreSQL."""
    streets = _streets(parsed.street, postcodes, STREETS)
    keys: dict[str, set[str]] = {}
    for row in streets:
        keys.setdefault(row["street_key"], set()).add(row["postcode"])
    rows = _addresses(keys, parsed.number) if keys else []
    if not streets:
        return []
    by_street = {(r["street_key"], r["postcode"]): r for r in streets}
    rows = [r for r in rows if _fits_floor_door(r, parsed.floor_door)]
    order = {key: i for i, key in enumerate(by_street)}

    def rank(row: dict) -> tuple:
        street = by_street.get((row["street_key"], row["postcode"]))
        house_key = row["search_text"][len(row["street_key"]) + 1 :].split(" ", 1)[0]
        number, letter = _number_parts(house_key)
        if house_key == parsed.number:
            number_rank = 0
        elif house_key.rstrip("abcdefghijklmnopqrstuvwxyz") == parsed.number:
            number_rank = 1  # 4 → 4A
        else:
            number_rank = 2  # 4 → 40
        return (
            street["rank"] if street else 3,
            -(street["similarity"] if street else 0.0),
            number_rank,
            bool(row["floor"] or row["door"]),
            number,
            letter,
            order.get((row["street_key"], row["postcode"]), len(order)),
            _floor_order(row["floor"]),
            fold_cached(row["door"]),
        )

    rows = [r for r in rows if (r["street_key"], r["postcode"]) in by_street]
    rows.sort(key=rank)
    return rows


def _address_suggestion(r: dict) -> Suggestion:
    return Suggestion(
        kind="address",
        text=address_text(
            r["street_name"], r["house_number"], r["floor"], r["door"], r["postcode"],
            r["postcode_name"],
        ),
        street=r["street_name"],
        house_number=r["house_number"],
        floor=r["floor"] or None,
        door=r["door"] or None,
        postcode=r["postcode"],
        town=r["postcode_name"],
        latitude=round(r["latitude"], 6),
        longitude=round(r["longitude"], 6),
        id=r["id"],
    )  # fmt: skip


def _without_number(parsed: Parsed, postcodes: list[str] | None, limit: int) -> list[Suggestion]:
    """Streets, and the postcodes of a town typed alone ("aeroeskoebing", "viby j")."""
    suggestions: list[Suggestion] = []
    if not parsed.street:
        if postcodes:
            suggestions += _postcode_suggestions(dict.fromkeys(postcodes, ""))
        return suggestions[:limit]
    named = _postcodes_named(parsed.street)  # a town's name alone, or with its postcode
    if named and postcodes is not None:
        named = {p: n for p, n in named.items() if p in postcodes}
    if named:
        suggestions += _postcode_suggestions(named)
    streets = _streets(parsed.street, postcodes, limit, typos=False)
    if not streets:
        # "solvej aarhus": the last words may be the town; else a typo in the street
        words = parsed.street.split()
        for cut in range(len(words) - 1, 0, -1):
            town = _postcodes_named(" ".join(words[cut:]))
            if town and postcodes is not None:
                town = {p: n for p, n in town.items() if p in postcodes}
            if town:
                streets = _streets(" ".join(words[:cut]), sorted(town), limit)
                if streets:
                    break
        else:
            streets = _streets(parsed.street, postcodes, limit)
    suggestions += [_street_suggestion(r) for r in streets]
    return suggestions[:limit]
