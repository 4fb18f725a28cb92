"""Who may see and do what: plain functions of a user and an object, no HTTP.

Every back-office view, admin hook and API endpoint asks these predicates; none decides on its
own. A user's roles, organisation (CVR) and SOR-ID narrowing come from their `UserProfile`,
which single sign-on rewrites at every login (`plov.accounts.auth`).

- agency (Sundhedsdatastyrelsen) and superusers: view, edit and supervise every unit; manage
  every municipality's agreements, of every type (Friplejebolig only they); release locks.
- editor: view and edit the units owned by the organisation with the user's CVR, narrowed to the
  user's SOR-IDs if any.
- contract manager: view every unit (to choose a counterpart); manage only its own
  municipality's agreements, not Friplejebolig; a CVR that is not a municipality's gives nothing.
- supervisor (Ældretilsynet): view and supervise the units whose beliggenhedskommune its
  authority covers.

Roles add up: a user with two roles may do what either may.

The unit's comments on Ældretilsynet's feedback (its right of reply) are written only by the
unit's own editors: an agency user, a superuser or a supervisor may not put words in its mouth.

The automatic home-care provider (no SOR-ID) is editable by its owner's editor when the editor is
not narrowed, or when the editor may edit at least one of its sites.

**Supervising authority.** SEB identifies a supervisor only by their organisation's CVR number.
Ældretilsynet's authorities are hosted by municipalities ("Ældretilsynet Silkeborg" is run by
Silkeborg Kommune), so the supervisor's CVR is looked up as a municipality's organisation
(`Organisation` of kind municipality with that `cvr_number`), and the user's authorities are the
`SupervisingAuthority` rows whose name contains that municipality's name as a whole word
("Ældretilsynet Silkeborg" ↔ "Silkeborg"; "Lyngby-Taarbæk" does not match "Taarbæk"). The
authority covers a unit when the coverage table in force today maps the unit's
beliggenhedskommune to it (`plov.supervision.authorities.authority_by_municipality`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Q, QuerySet

from plov.accounts.models import ROLE_BY_GROUP, Role
from plov.agreements.models import AgreementType
from plov.units.models import Municipality, Organisation, Unit, UnitKind

CVR_PATTERN = re.compile(r"\d{8}")
_CACHE_ATTRIBUTE = "_plov_scope"


def municipality_code_for_cvr(cvr: str) -> int | None:
    """The kommunekode of the municipality whose organisation has this CVR number, else None."""
    if not cvr or not CVR_PATTERN.fullmatch(cvr):
        return None
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, cvr_number=cvr, municipality__isnull=False
        )
        .values_list("municipality_id", flat=True)
        .first()
    )


def authority_matches_municipality(authority_name: str, municipality_name: str) -> bool:
    """Whether an authority's name names the municipality as a whole word (see module doc)."""
    if not municipality_name.strip():
        return False
    pattern = r"(?<![\w-])" + re.escape(municipality_name.strip()) + r"(?![\w-])"
    return re.search(pattern, authority_name, flags=re.IGNORECASE) is not None


def authorities_for_cvr(cvr: str) -> frozenset[str]:
    """Names of the supervising authorities hosted by the municipality with this CVR number."""
    from plov.supervision.models import SupervisingAuthority

    code = municipality_code_for_cvr(cvr)
    if code is None:
        return frozenset()
    name = Municipality.objects.filter(code=code).values_list("name", flat=True).first() or ""
    return frozenset(
        authority
        for authority in SupervisingAuthority.objects.values_list("name", flat=True)
        if authority_matches_municipality(authority, name)
    )


def _demo_cvr(user) -> str:
    """Demo users made by `plov demo` without a profile carry the CVR in their e-mail."""
    if not settings.PLOV_DEMO:
        return ""
    from plov.demo.users import organisation_cvr

    return organisation_cvr(user) or ""


@dataclass(frozen=True)
class Scope:
    """A user's roles, organisation and narrowing, with what follows from them."""

    roles: frozenset[str] = frozenset()
    cvr: str = ""
    sor_ids: frozenset[str] = frozenset()
    superuser: bool = False

    @classmethod
    def for_user(cls, user) -> Scope:
        """The user's scope; cached on the user object for the rest of the request."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls()
        cached = getattr(user, _CACHE_ATTRIBUTE, None)
        if cached is not None:
            return cached
        profile = getattr(user, "plov_profile", None) if user.pk else None
        if profile is not None:
            scope = cls(
                roles=frozenset(r for r in profile.roles if r in Role.values),
                cvr=profile.organisation_cvr or "",
                sor_ids=frozenset(str(s) for s in profile.sor_ids),
                superuser=user.is_superuser,
            )
        else:
            # Not made by single sign-on (e.g. `plov demo`'s users): the role groups say the
            # roles; only demo users have an organisation.
            groups = user.groups.values_list("name", flat=True) if user.pk else []
            scope = cls(
                roles=frozenset(ROLE_BY_GROUP[g] for g in groups if g in ROLE_BY_GROUP),
                cvr=_demo_cvr(user),
                superuser=user.is_superuser,
            )
        setattr(user, _CACHE_ATTRIBUTE, scope)
        return scope

    @staticmethod
    def forget(user) -> None:
        """Drop the cached scope (after the profile changed)."""
        if hasattr(user, _CACHE_ATTRIBUTE):
            delattr(user, _CACHE_ATTRIBUTE)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_agency(self) -> bool:
        return self.superuser or Role.AGENCY in self.roles

    @property
    def is_editor(self) -> bool:
        return Role.EDITOR in self.roles and bool(CVR_PATTERN.fullmatch(self.cvr))

    @cached_property
    def contract_municipality(self) -> int | None:
        """The municipality whose agreements a contract manager manages (None: no such role)."""
        if Role.CONTRACT_MANAGER not in self.roles:
            return None
        return municipality_code_for_cvr(self.cvr)

    @cached_property
    def authorities(self) -> frozenset[str]:
        if Role.SUPERVISOR not in self.roles:
            return frozenset()
        return authorities_for_cvr(self.cvr)

    @cached_property
    def supervised_municipalities(self) -> frozenset[int]:
        if not self.authorities:
            return frozenset()
        from plov.supervision.authorities import authority_by_municipality

        return frozenset(
            code for code, name in authority_by_municipality().items() if name in self.authorities
        )

    # --- units -----------------------------------------------------------------------------

    def may_edit(self, unit: Unit) -> bool:
        return self.is_agency or self.edits_as_editor(unit)

    def edits_as_editor(self, unit: Unit) -> bool:
        """Whether the user is one of the unit's own editors (its organisation, its SOR-IDs)."""
        if not self.is_editor or unit.owner.cvr_number != self.cvr:
            return False
        if not self.sor_ids:
            return True
        if unit.kind == UnitKind.HOME_CARE_PROVIDER:
            return unit.children.filter(
                kind=UnitKind.HOME_CARE_SITE, sor_id__in=self.sor_ids, owner__cvr_number=self.cvr
            ).exists()
        return unit.sor_id in self.sor_ids

    def editable(self) -> QuerySet[Unit]:
        if self.is_agency:
            return Unit.objects.all()
        if not self.is_editor:
            return Unit.objects.none()
        units = Unit.objects.filter(owner__cvr_number=self.cvr)
        if self.sor_ids:
            sites = Unit.objects.filter(
                kind=UnitKind.HOME_CARE_SITE,
                sor_id__in=self.sor_ids,
                owner__cvr_number=self.cvr,
                parent__isnull=False,
            ).values("parent_id")
            units = units.filter(
                Q(sor_id__in=self.sor_ids) | Q(kind=UnitKind.HOME_CARE_PROVIDER, pk__in=sites)
            )
        return units

    def may_reply(self, unit: Unit) -> bool:
        """The unit's right of reply to Ældretilsynet is its own editors': not the agency's,
        not a supervisor's, not another organisation's."""
        return not self.superuser and self.edits_as_editor(unit)

    def may_supervise(self, unit: Unit) -> bool:
        if self.is_agency:
            return True
        return unit.municipality_id is not None and (
            unit.municipality_id in self.supervised_municipalities
        )

    def may_view(self, unit: Unit) -> bool:
        if self.is_agency or self.contract_municipality is not None:
            return True
        return self.may_edit(unit) or self.may_supervise(unit)

    def viewable(self) -> QuerySet[Unit]:
        if self.is_agency or self.contract_municipality is not None:
            return Unit.objects.all()
        supervised = Q(municipality_id__in=self.supervised_municipalities)
        return Unit.objects.filter(Q(pk__in=self.editable().values("pk")) | supervised)

    # --- a municipality's own pages (how to apply) ----------------------------------------

    @cached_property
    def editor_municipality(self) -> int | None:
        """The municipality whose editor the user is (an editor with a municipality's CVR);
        None for a private company's editor and every other role."""
        if not self.is_editor:
            return None
        return municipality_code_for_cvr(self.cvr)

    def may_edit_application_guidance(self, municipality: Municipality | int) -> bool:
        code = municipality.code if isinstance(municipality, Municipality) else municipality
        if self.is_agency:
            return True
        return code is not None and self.editor_municipality == int(code)

    # --- agreements ------------------------------------------------------------------------

    def may_manage_agreements_of(self, municipality: Municipality | int) -> bool:
        code = municipality.code if isinstance(municipality, Municipality) else municipality
        if self.is_agency:
            return True
        return code is not None and self.contract_municipality == int(code)

    def may_create_agreement(
        self, municipality: Municipality | int, unit: Unit | None, agreement_type: str
    ) -> bool:
        agreement_type = (agreement_type or "").strip().lower()
        if agreement_type not in AgreementType.values:
            return False
        if agreement_type == AgreementType.FREE_CARE_HOME:
            return self.is_agency
        return self.may_manage_agreements_of(municipality)


# --- the predicates ------------------------------------------------------------------------


def can_view_unit(user, unit: Unit) -> bool:
    return Scope.for_user(user).may_view(unit)


def can_edit_unit(user, unit: Unit) -> bool:
    return Scope.for_user(user).may_edit(unit)


def editable_units(user) -> QuerySet[Unit]:
    return Scope.for_user(user).editable()


def viewable_units(user) -> QuerySet[Unit]:
    return Scope.for_user(user).viewable()


def can_manage_agreements_of(user, municipality: Municipality | int) -> bool:
    return Scope.for_user(user).may_manage_agreements_of(municipality)


def can_create_agreement(
    user, municipality: Municipality | int, unit: Unit | None, agreement_type: str
) -> bool:
    """Whether the user may register an agreement of this type for this municipality. Only
    authority: `plov.agreements.rules.agreement_problems` still decides whether it is valid."""
    return Scope.for_user(user).may_create_agreement(municipality, unit, agreement_type)


def can_edit_agreement(user, agreement) -> bool:
    return Scope.for_user(user).may_create_agreement(
        agreement.municipality_id, agreement.unit, agreement.type
    )


def can_edit_application_guidance(user, municipality: Municipality | int) -> bool:
    """How to apply for a care home or home care in a municipality: its own editors (and the
    agency) write it; a private provider's editor, contract managers and supervisors do not."""
    return Scope.for_user(user).may_edit_application_guidance(municipality)


def can_release_lock(user) -> bool:
    """Releasing another user's edit lock is the agency's."""
    return Scope.for_user(user).is_agency


def can_reply_to_supervision(user, unit: Unit) -> bool:
    """Whether the user may write the unit's comments on Ældretilsynet's feedback."""
    return Scope.for_user(user).may_reply(unit)


def can_supervise(user, unit: Unit) -> bool:
    return Scope.for_user(user).may_supervise(unit)
