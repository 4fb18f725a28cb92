"""Versions of a unit's content: every save is a Wagtail revision (DOMAIN.md §8).

`UnitContent` is a `RevisionMixin` model without draft state, so a revision is made *after* the
object holds the saved data (the object is the published state). Wagtail serialises only the
row's own columns; the relations (faggrupper, egenskaber) are added to the revision's content
under `RELATIONS_KEY`, which `from_serializable_data` ignores.

Only the editor's fields (`FORM_FIELDS`) are compared and restored: a restore never touches
`Unit` (register data) nor the images, which the media page manages.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Revision

from plov.backoffice.fields import format_decimal, format_whole_number
from plov.backoffice.forms import LABELS, RELATION_FIELDS
from plov.backoffice.locking import LockLost, format_time, holds_lock, user_name
from plov.units.costs import COST_FIELDS, COST_REPORT_FIELDS, stamp_cost_report
from plov.units.forms import EDITORIAL_FIELDS, RICH_TEXT_FIELDS
from plov.units.homecare import language_labels, service_labels
from plov.units.models import HousingType, Profession, Property, UnitContent

RELATIONS_KEY = "_plov_relations"
# Version 1 made from the content as it was before the first save: "import" or "empty".
ORIGIN_KEY = "_plov_origin"
ORIGIN_IMPORT = "import"
ORIGIN_EMPTY = "empty"
DIFF_FIELDS = [*EDITORIAL_FIELDS, *RELATION_FIELDS]


def relations_of(content: UnitContent) -> dict[str, list[int]]:
    if content.pk is None:
        return {name: [] for name in RELATION_FIELDS}
    return {
        name: sorted(getattr(content, name).values_list("pk", flat=True))
        for name in RELATION_FIELDS
    }


def has_editorial_data(content: UnitContent) -> bool:
    for name in EDITORIAL_FIELDS:
        value = getattr(content, name)
        if value not in (None, "", False):
            return True
    return any(relations_of(content).values())


def create_revision(content: UnitContent, user, *, previous_revision=None) -> Revision:
    """A revision of the content as it is now (logged as wagtail.edit, or wagtail.revert)."""
    with transaction.atomic():
        revision = content.save_revision(
            user=user,
            log_action=True,
            previous_revision=previous_revision,
            clean=False,  # the form has validated; the revision records what was stored
        )
        revision.content = {**revision.content, RELATIONS_KEY: relations_of(content)}
        revision.save(update_fields=["content"])
    return revision


_SAME_TAGS = {"strong": "b", "em": "i"}


def _comparable(name: str, value):
    """A value as a change is judged: rich text without the differences the editor's round
    trip makes and a reader cannot see (white space between tags, <strong> for <b>)."""
    if name not in RICH_TEXT_FIELDS or not value:
        return value
    text = re.sub(r">\s+<", "><", value.strip())
    return re.sub(r"<(/?)(strong|em)>", lambda m: f"<{m.group(1)}{_SAME_TAGS[m.group(2)]}>", text)


def changes(stored: UnitContent, edited: UnitContent, cleaned: dict) -> list[str]:
    """The editor's fields (and relations) whose value `edited` (the form's instance before
    saving, relations in the form's `cleaned` data) would change from `stored` (the row)."""
    changed = [
        name
        for name in EDITORIAL_FIELDS
        if _comparable(name, getattr(stored, name)) != _comparable(name, getattr(edited, name))
    ]
    current = relations_of(stored)
    for name in RELATION_FIELDS:
        if name in cleaned and sorted(o.pk for o in cleaned[name]) != current[name]:
            changed.append(name)
    return changed


def ensure_baseline(content: UnitContent) -> Revision | None:
    """The content as it was before the first save becomes version 1, so that the first save
    can be compared with and undone: what the editorial import wrote ("System (import)"), or
    the empty content of a unit never edited ("Før første redigering")."""
    if content.pk is None or content.latest_revision_id is not None:
        return None
    if content.revisions.exists():
        return None
    origin = ORIGIN_IMPORT if has_editorial_data(content) else ORIGIN_EMPTY
    # Read before serialising: modelcluster's serialisation runs the auto_now field's pre_save.
    written_at = content.updated_at
    revision = Revision.objects.create(
        content_object=content,
        base_content_type=content.get_base_content_type(),
        user=None,
        content={
            **content.serializable_data(),
            RELATIONS_KEY: relations_of(content),
            ORIGIN_KEY: origin,
        },
        object_str=str(content),
        # When the content was written (the import), not when the first save came.
        created_at=written_at,
    )
    UnitContent.objects.filter(pk=content.pk).update(latest_revision=revision)
    content.latest_revision = revision
    return revision


def revisions_of(content: UnitContent | None):
    if content is None or content.pk is None:
        return Revision.objects.none()
    return content.revisions.select_related("user").order_by("-created_at", "-id")


@dataclass(frozen=True)
class Version:
    revision: Revision
    number: int

    @property
    def author(self) -> str:
        if self.revision.user_id:
            return user_name(self.revision.user)
        if (self.revision.content or {}).get(ORIGIN_KEY) == ORIGIN_EMPTY:
            return "Før første redigering"
        return "System (import)"

    @property
    def created(self) -> str:
        return format_time(self.revision.created_at)


def versions(content: UnitContent | None) -> list[Version]:
    """Newest first, numbered from 1 (the oldest)."""
    revisions = list(revisions_of(content))
    total = len(revisions)
    return [Version(r, total - i) for i, r in enumerate(revisions)]


def as_object(content: UnitContent, revision: Revision) -> UnitContent:
    return content.with_content_json(revision.content)


def _relation_names(model, ids) -> list[str]:
    names = dict(model.objects.filter(pk__in=ids or []).values_list("pk", "name"))
    if model is Property:
        names = {p.pk: f"{p.group}: {p.name}" for p in model.objects.filter(pk__in=ids or [])}
    return [names.get(i, "(slettet)") for i in ids or []]


def display_value(obj: UnitContent, name: str, relations: dict | None = None) -> str:
    """A field's value as an editor reads it (plain text)."""
    if name in RELATION_FIELDS:
        ids = (relations or {}).get(name)
        if ids is None:
            ids = relations_of(obj).get(name, []) if obj.pk else []
        model = Profession if name == "professions" else Property
        return ", ".join(sorted(_relation_names(model, ids)))
    value = getattr(obj, name)
    if value in (None, ""):
        return ""
    if name in RICH_TEXT_FIELDS:
        text = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n", value)
        return html.unescape(strip_tags(text)).strip()
    if name == "languages":
        return ", ".join(language_labels(value))
    if name == "services":
        return ", ".join(service_labels(value))
    if name == "housing_type":
        try:
            return str(HousingType(value).label)
        except ValueError:
            return value
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int):
        return format_whole_number(value) + (" kr." if name in COST_FIELDS else "")
    return str(value)


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    before: str
    after: str
    before_html: SafeString
    after_html: SafeString

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _tokens(text: str) -> list[str]:
    """Words with the whitespace after them, so a changed phrase is marked as one."""
    return re.findall(r"\s+|\S+\s*", text)


def _mark(tag: str, chunk: str) -> str:
    core, space = re.match(r"(.*?)(\s*)$", chunk, flags=re.S).groups()
    return f"<{tag}>{html.escape(core)}</{tag}>{html.escape(space)}" if core else html.escape(space)


def _word_diff(a: str, b: str) -> tuple[SafeString, SafeString]:
    """Both sides, escaped, with removed words in <del> and added words in <ins>."""
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=tokens_a, b=tokens_b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(tokens_a[a1:a2]), "".join(tokens_b[b1:b2])
        if op == "equal":
            left.append(html.escape(old))
            right.append(html.escape(new))
        else:
            left.append(_mark("del", old))
            right.append(_mark("ins", new))
    return mark_safe("".join(left)), mark_safe("".join(right))  # both sides escaped above


def diff(content: UnitContent, older: Revision, newer: Revision) -> list[FieldDiff]:
    """Field by field, with Danish labels; every editor field, changed or not."""
    a, b = as_object(content, older), as_object(content, newer)
    rel_a = older.content.get(RELATIONS_KEY) or {}
    rel_b = newer.content.get(RELATIONS_KEY) or {}
    rows = []
    for name in DIFF_FIELDS:
        before = display_value(a, name, rel_a if name in RELATION_FIELDS else None)
        after = display_value(b, name, rel_b if name in RELATION_FIELDS else None)
        if name in RELATION_FIELDS and (name not in rel_a or name not in rel_b):
            # A revision made without plov's relations: nothing to compare.
            before = before if name in rel_a else "(ikke registreret)"
            after = after if name in rel_b else "(ikke registreret)"
        left, right = _word_diff(before, after)
        rows.append(FieldDiff(name, LABELS.get(name, name), before, after, left, right))
    return rows


def restore(content: UnitContent, revision: Revision, user) -> Revision:
    """Make an old version the current one: its editor fields and relations are written to the
    content and saved as a new revision. `Unit` is never written. Only the lock holder may
    restore (`LockLost` otherwise)."""
    old = as_object(content, revision)
    with transaction.atomic():
        current = UnitContent.objects.select_for_update().get(pk=content.pk)
        if not holds_lock(current, user):
            raise LockLost
        ensure_baseline(current)
        before = UnitContent(**{name: getattr(current, name) for name in COST_REPORT_FIELDS})
        for name in EDITORIAL_FIELDS:
            setattr(current, name, getattr(old, name))
        stamp_cost_report(before, current, timezone.localdate())
        current.locked_at = timezone.now()
        current.save()
        relations = revision.content.get(RELATIONS_KEY)
        if relations:
            current.professions.set(
                Profession.objects.filter(pk__in=relations.get("professions", []))
            )
            current.properties.set(Property.objects.filter(pk__in=relations.get("properties", [])))
        new_revision = create_revision(current, user, previous_revision=revision)
    content.refresh_from_db()
    return new_revision
