"""The edit lock on a unit's content: lock → edit → save → check in (DOMAIN.md §8).

Wagtail's `LockableMixin` fields (`locked`, `locked_by`, `locked_at`) on `UnitContent` hold the
lock; Wagtail itself gives a lock no expiry, so plov adds it here:

- a lock is *active* while `locked_at` is less than `PLOV_LOCK_TIMEOUT_MINUTES` (default 30) old;
  each save by the holder refreshes `locked_at`;
- an expired lock still belongs to its holder, who may go on saving, until someone else takes it;
- acquiring is one compare-and-swap UPDATE on the row, so two people can never both win: the
  UPDATE only matches the row as it was read (free, expired, or already ours), and PostgreSQL
  re-checks that condition after a concurrent UPDATE committed;
- "Tjek ind" releases the holder's lock; the agency may release anyone's (audited).

Other back-office pages that change a unit's content (e.g. the media page) should call
`holds_lock(content, user)` before saving.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from plov.backoffice.audit import AuditAction, audit
from plov.units.models import Unit, UnitContent

MUST_LOCK = "Du skal låse dette element, før du kan rette i det"


class LockLost(Exception):
    """The user does not (or no longer) hold the lock they need."""


def lock_timeout() -> dt.timedelta:
    """How long a lock lasts without a save (settings.PLOV_LOCK_TIMEOUT_MINUTES, minutes)."""
    return dt.timedelta(minutes=max(float(settings.PLOV_LOCK_TIMEOUT_MINUTES), 0))


def user_name(user) -> str:
    if user is None:
        return "ukendt bruger"
    return (user.get_full_name() or "").strip() or user.get_username()


def format_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d.%m.%Y kl. %H:%M")


@dataclass(frozen=True)
class LockState:
    """A content's lock as it is now."""

    holder: object | None = None  # the user, or None when not locked
    since: dt.datetime | None = None  # the holder's last activity (the lock, then each save)
    expired: bool = False
    taken: dt.datetime | None = None  # when the holder took the lock (`with_taken=True`)

    @property
    def locked(self) -> bool:
        return self.holder is not None

    @property
    def active(self) -> bool:
        return self.locked and not self.expired

    def held_by(self, user) -> bool:
        return self.locked and getattr(user, "pk", None) == self.holder.pk

    def blocks(self, user) -> bool:
        """Whether the lock keeps `user` from taking it."""
        return self.active and not self.held_by(user)

    @property
    def holder_name(self) -> str:
        return user_name(self.holder) if self.holder is not None else ""

    @property
    def since_text(self) -> str:
        """When the lock was taken (the last save's time only when that is not known)."""
        return format_time(self.taken or self.since)

    @property
    def expires_at(self) -> dt.datetime | None:
        """When the lock expires unless the holder saves before."""
        return self.since + lock_timeout() if self.since is not None else None

    @property
    def expires_text(self) -> str:
        return timezone.localtime(self.expires_at).strftime("%H:%M") if self.expires_at else ""

    @property
    def message(self) -> str:
        """ "Låst af <navn> siden <tid>" (with a note when the lock has expired)."""
        if not self.locked:
            return ""
        text = f"Låst af {self.holder_name} siden {self.since_text}"
        if self.expired:
            text += " (låsen er udløbet efter mere end "
            text += f"{int(lock_timeout().total_seconds() // 60)} minutter uden at blive gemt)"
        return text


def lock_state(
    content: UnitContent | None, *, now: dt.datetime | None = None, with_taken: bool = False
) -> LockState:
    if content is None or content.pk is None or not content.locked or content.locked_by is None:
        return LockState()
    now = now or timezone.now()
    since = content.locked_at
    expired = since is None or since < now - lock_timeout()
    taken = lock_taken_at(content) if with_taken else None
    return LockState(holder=content.locked_by, since=since, expired=expired, taken=taken)


def lock_taken_at(content: UnitContent) -> dt.datetime | None:
    """When the holder took the lock: the time of its lock entry in the log (`acquire` writes
    one), not of the last save, which refreshes `locked_at`."""
    from wagtail.models import ModelLogEntry

    entry = (
        ModelLogEntry.objects.for_instance(content)
        .filter(action="wagtail.lock", user_id=content.locked_by_id)
        .order_by("-timestamp", "-pk")
        .values_list("timestamp", flat=True)
        .first()
    )
    return entry


def holds_lock(content: UnitContent | None, user) -> bool:
    """Whether `user` holds the lock (an expired lock not taken by anyone else still counts)."""
    return (
        content is not None
        and content.pk is not None
        and content.locked
        and content.locked_by_id is not None
        and content.locked_by_id == getattr(user, "pk", None)
    )


def content_of(unit: Unit) -> UnitContent | None:
    return UnitContent.objects.select_related("locked_by").filter(unit=unit).first()


def get_or_create_content(unit: Unit) -> UnitContent:
    """The unit's content row, created empty on first use (two at once: one row)."""
    content = UnitContent.objects.filter(unit=unit).first()
    if content is not None:
        return content
    try:
        with transaction.atomic():
            return UnitContent.objects.create(unit=unit)
    except IntegrityError:
        return UnitContent.objects.get(unit=unit)


@dataclass(frozen=True)
class LockResult:
    acquired: bool
    content: UnitContent
    state: LockState  # after the attempt
    took_over_from: object | None = None  # the holder of an expired lock that was taken


def acquire(unit: Unit, user, *, attempts: int = 3) -> LockResult:
    """Take the lock for `user` unless someone else holds an active lock."""
    return acquire_content(get_or_create_content(unit), user, attempts=attempts)


def _rows(content):
    """The content's row, whichever lockable model it is (a unit's content, a municipality's
    application guidance, …): the functions below lock any `LockableMixin` row alike."""
    return type(content)._default_manager.filter(pk=content.pk)


def acquire_content(content, user, *, attempts: int = 3) -> LockResult:
    """`acquire` for any saved `LockableMixin` row."""
    for _ in range(attempts):
        now = timezone.now()
        row = _rows(content).values("locked", "locked_by_id", "locked_at").get()
        free = (
            not row["locked"]
            or row["locked_by_id"] is None
            or row["locked_at"] is None
            or row["locked_at"] < now - lock_timeout()
            or row["locked_by_id"] == user.pk
        )
        if not free:
            break
        # Compare-and-swap: only the row exactly as read is taken.
        won = (
            _rows(content)
            .filter(
                locked=row["locked"],
                locked_by_id=row["locked_by_id"],
                locked_at=row["locked_at"],
            )
            .update(locked=True, locked_by=user, locked_at=now)
        )
        if won:
            content.refresh_from_db()
            previous = None
            data = {}
            if row["locked"] and row["locked_by_id"] not in (None, user.pk):
                previous = get_user_model().objects.filter(pk=row["locked_by_id"]).first()
                data = {"expired_lock_of": user_name(previous)}
            log(instance=content, action="wagtail.lock", user=user, data=data)
            return LockResult(True, content, lock_state(content), took_over_from=previous)
    content.refresh_from_db()
    return LockResult(False, content, lock_state(content))


def refresh(content: UnitContent, user) -> bool:
    """Mark activity on a lock the user holds (each save). False if they no longer hold it."""
    now = timezone.now()
    updated = _rows(content).filter(locked=True, locked_by=user).update(locked_at=now)
    if updated:
        content.locked_at = now
    return bool(updated)


def check_in(content: UnitContent, user) -> bool:
    """Release the user's own lock ("Tjek ind"). False if they did not hold it."""
    released = (
        _rows(content)
        .filter(locked=True, locked_by=user)
        .update(locked=False, locked_by=None, locked_at=None)
    )
    if released:
        content.refresh_from_db()
        log(instance=content, action="wagtail.unlock", user=user)
    return bool(released)


def release_by_admin(content: UnitContent, user, *, expected_holder_id: int | None = None) -> bool:
    """The agency releases whoever's lock it is (logged as unlock and audited)."""
    content.refresh_from_db()
    if not content.locked:
        return False
    holder = content.locked_by
    matching = _rows(content).filter(locked=True)
    if expected_holder_id is not None:
        matching = matching.filter(locked_by_id=expected_holder_id)
    released = matching.update(locked=False, locked_by=None, locked_at=None)
    if released:
        content.refresh_from_db()
        log(instance=content, action="wagtail.unlock", user=user)
        audit(
            content,
            AuditAction.LOCK_RELEASED,
            user=user,
            data={"holder": user_name(holder), "holder_id": getattr(holder, "pk", None)},
        )
    return bool(released)
