"""Bulk import of editorial content (migration from the old system).

A JSON list of objects keyed by `sor_id`, with the model's field names, and optionally
`agreement_descriptions`: {kommunekode: text}. Each record is validated like a save in the
back office; rejected records are reported and the others saved. Register fields can't be set
this way: they belong to the registers, a home-care unit has no housing fields and a care home
no home-care fields.

A record that saves with a warning (a P-number of another company, an implausible figure) is
imported, and the warning is reported with its line: the editor would have been asked.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.opendata.changes import record_content_fields
from plov.registers.readers import json_type, read_json_records
from plov.registers.summary import ImportSummary
from plov.text import strip_invisible
from plov.units.forms import (
    CARE_HOME_ONLY_FIELDS,
    EDITORIAL_FIELDS,
    HOME_CARE_ONLY_FIELDS,
    UnitContentForm,
)
from plov.units.models import Unit, UnitContent
from plov.units.personal_data import cpr_problem

ALLOWED_KEYS = {"sor_id", "agreement_descriptions", *EDITORIAL_FIELDS}


def _form_data(instance: UnitContent, record: dict) -> dict:
    """Start from what is saved, so a record changes only the fields it names."""
    data = {}
    for name in EDITORIAL_FIELDS:
        value = record[name] if name in record else getattr(instance, name)
        data[name] = "" if value is None else value
    if not data["fixed_teams"]:
        data.pop("fixed_teams")
    return data


def import_editorial(path: Path) -> tuple[ImportSummary, list[str]]:
    from plov.agreements.actions import save_agreement_description
    from plov.backoffice.audit import AuditAction, audit
    from plov.publishing.refresh import refresh_publication

    path = Path(path)
    source = f"import {path.name}"
    touched: set[int] = set()
    summary = ImportSummary()
    rejected: list[str] = []
    with transaction.atomic():
        for line, record in read_json_records(path):
            where = f"{path}:{line}"
            if not isinstance(record, dict):
                rejected.append(f"{where}: forventede et objekt, fandt {json_type(record)}")
                continue
            unknown = sorted(set(record) - ALLOWED_KEYS)
            sor_id = str(record.get("sor_id") or "").strip()
            unit = Unit.objects.filter(sor_id=sor_id).first() if sor_id else None
            problems = []
            if unknown:
                problems.append("ukendte eller skrivebeskyttede felter: " + ", ".join(unknown))
            if unit is None:
                problems.append(f"ingen enhed med SOR-ID {sor_id!r}")
            descriptions = record.get("agreement_descriptions") or {}
            if not isinstance(descriptions, dict):
                problems.append("agreement_descriptions skal være et objekt {kommunekode: tekst}")
                descriptions = {}
            if unit is not None and unit.is_home_care:
                care_home_only = sorted(set(record) & set(CARE_HOME_ONLY_FIELDS))
                if care_home_only:
                    problems.append(
                        "felter for en plejeenhed, ikke for helhedspleje: "
                        + ", ".join(care_home_only)
                    )
            elif unit is not None:
                home_care_only = sorted(set(record) & set(HOME_CARE_ONLY_FIELDS))
                if home_care_only:
                    problems.append(
                        "felter for helhedspleje, ikke for en plejeenhed: "
                        + ", ".join(home_care_only)
                    )
            if problems:
                rejected.append(f"{where}: sor_id {sor_id}: " + "; ".join(problems))
                continue
            instance = UnitContent.objects.filter(unit=unit).first() or UnitContent(unit=unit)
            form = UnitContentForm(_form_data(instance, record), instance=instance)
            parties = set(
                ServiceAgreement.objects.filter(unit=unit).values_list("municipality_id", flat=True)
            )
            for code, text in descriptions.items():
                if not str(code).isdigit() or int(code) not in parties:
                    form.add_error(None, f"ingen serviceleverance med kommune {code}")
                problem = cpr_problem(str(text), f"Aftalebeskrivelsen for kommune {code}")
                if problem:
                    form.add_error(None, problem)
            if not form.is_valid():
                errors = "; ".join(
                    f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
                    for field, msgs in form.errors.items()
                )
                rejected.append(f"{where}: sor_id {sor_id}: {errors}")
                continue
            for warning in form.warnings:
                summary.notes.append(f"{where}: sor_id {sor_id}: advarsel: {warning}")
            is_new = instance.pk is None
            if is_new or form.has_changed():
                saved = form.save()
                audit(
                    saved,
                    AuditAction.SAVED,
                    user=None,
                    data={"source": source, "fields": list(form.changed_data)},
                )
                touched.add(unit.pk)
                record_content_fields(unit.pk, form.changed_data, public=unit.published)
                summary.created += is_new
                summary.updated += not is_new
            else:
                summary.unchanged += 1
            for code, text in descriptions.items():
                text = strip_invisible(str(text)).strip()
                stored = AgreementDescription.objects.filter(
                    unit=unit, municipality_id=int(code)
                ).first() or AgreementDescription(unit=unit, municipality_id=int(code))
                if stored.pk is None or stored.text != text:
                    stored.text = text
                    save_agreement_description(stored, user=None, source=source, refresh=False)
                    touched.add(unit.pk)
        summary.skipped["afvist post"] = len(rejected)
        # the units whose content changed, once (not every unit in the country)
        refresh_publication(unit_ids=touched)
    return summary, rejected
