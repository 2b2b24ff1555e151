"""Every change to indicators and their values, each in one transaction with its audit entry.

Views, the CLI and the demo call these; nothing else writes indicator tables. Audit entries
name what changed and the figures, never personal data (a youth justice import records the
extract's fingerprint and counts, not its rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..audit.log import record
from ..audit.models import Action as Audit
from ..cells import without_controls
from ..evidence import Evidence, EvidenceError
from .definitions import Frequency, PeriodRule, Source, Unit
from .evidence_values import Computed, evidence_series, store_vintage
from .models import Indicator, Value
from .periods import Span
from .targets import value_problem


class IndicatorError(ValueError):
    """A change that cannot be made, with the reason a person can act on."""


def audit_changes(obj, fields: dict) -> dict:
    """Old and new values of the fields that changed. Settings are not personal data; the
    definition, free text, is recorded as changed, not quoted."""
    changes = {}
    for name, new in fields.items():
        old = getattr(obj, name + "_id" if name == "owner" else name, None)
        new = getattr(new, "pk", new)
        if old != new:
            changes[name] = (
                "changed" if name == "definition" else {"from": _text(old), "to": _text(new)}
            )
    return changes


def _text(value) -> str | None:
    return None if value is None else str(value)


def save_indicator(indicator: Indicator, *, fields: dict, user, request=None) -> Indicator:
    """Create (`indicator` unsaved) or edit an indicator, with its audit entry."""
    creating = indicator.pk is None
    changes = audit_changes(indicator, fields)
    for name, value in fields.items():
        setattr(indicator, name, value)
    with transaction.atomic():
        indicator.save()
        if creating or changes:
            record(
                action=Audit.CREATE if creating else Audit.UPDATE,
                request=request,
                actor=user,
                obj=indicator,
                changes={"code": indicator.code} if creating else changes,
            )
    return indicator


def _store(
    indicator: Indicator, computed: Computed, *, vintage: str, user=None, note=""
) -> tuple[Value, bool]:
    """Insert or replace one period's value; the stored value and whether anything changed."""
    fields = {
        "period": computed.period.label,
        "period_start": computed.period.start_date,
        "value": computed.value,
        "comparison": computed.comparison,
        "comparison_period": computed.comparison_label,
        "provisional": computed.provisional,
        "detail": computed.detail,
    }
    stored = Value.objects.filter(indicator=indicator, period_end=computed.period.end_date).first()
    if stored and stored.note == note and all(getattr(stored, k) == v for k, v in fields.items()):
        return stored, False
    stored = stored or Value(indicator=indicator, period_end=computed.period.end_date)
    for name, value in {
        **fields,
        "vintage": vintage,
        "note": note,
        "entered_by": user,
        "entered_at": timezone.now(),
    }.items():
        setattr(stored, name, value)
    stored.save()
    return stored, True


@dataclass
class Refreshed:
    indicators: int
    values_changed: int
    problems: list[str]


def refresh_evidence(evidence: Evidence, *, request=None, actor=None) -> Refreshed:
    """Recompute every active evidence indicator from the store. An indicator whose area or
    category the store does not hold is reported, and the others still refresh."""
    ingest, vintage = store_vintage(evidence)
    changed, problems, done = 0, [], 0
    indicators = Indicator.objects.filter(source=Source.EVIDENCE, active=True)
    with transaction.atomic():
        for indicator in indicators:
            try:
                series = evidence_series(
                    evidence,
                    category=indicator.category,
                    area=indicator.area,
                    rule=PeriodRule(indicator.period_rule),
                    frequency=Frequency(indicator.frequency),
                    unit=Unit(indicator.unit),
                )
            except (EvidenceError, ValueError) as exc:
                problems.append(f"{indicator.code}: {exc}")
                continue
            done += 1
            for computed in series:
                computed.detail["ingest"] = ingest
                changed += _store(indicator, computed, vintage=vintage)[1]
        record(
            action=Audit.UPDATE,
            request=request,
            actor=actor,
            object_type="indicators.evidence_refresh",
            object_id=str(ingest),
            changes={"indicators": done, "values_changed": changed, "problems": len(problems)},
        )
    return Refreshed(done, changed, problems)


def stale_evidence(evidence: Evidence) -> bool:
    """Whether data has been loaded since the evidence indicators were last computed."""
    ingest, _ = store_vintage(evidence)
    latest = (
        Value.objects.filter(indicator__source=Source.EVIDENCE)
        .order_by("-entered_at")
        .values_list("detail", flat=True)
        .first()
    )
    has_any = Indicator.objects.filter(source=Source.EVIDENCE, active=True).exists()
    return has_any and (latest is None or latest.get("ingest") != ingest)


def enter_value(
    indicator: Indicator,
    *,
    period: Span,
    value: Decimal,
    note: str,
    user,
    request=None,
    today: date | None = None,
) -> Value:
    """Record (or correct) a manual indicator's value for one period, with who and when.
    The comparison is the same period a year earlier, when that has a value. A value for a
    period that has not ended yet is provisional: shown, never rated or reported as latest,
    until the final figure is entered after the period ends."""
    today = today or timezone.localdate()
    if indicator.source != Source.MANUAL:
        raise IndicatorError(f"{indicator.code} is computed, not entered by hand")
    if period.start_date > today:
        raise IndicatorError(f"{period.label} has not started yet")
    if problem := value_problem(value, indicator.unit):
        raise IndicatorError(problem)
    note = without_controls(note)
    with transaction.atomic():
        # One entry per indicator at a time (a row lock; SQLite's write transactions are
        # serial anyway), so the value read here is exactly the one replaced and the audit
        # history of a period is a true sequence even when two people save at once.
        list(Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk"))
        year_before = Value.objects.filter(
            indicator=indicator, period_end=period.shifted(-12).end_date
        ).first()
        existing = Value.objects.filter(indicator=indicator, period_end=period.end_date).first()
        previous = existing.value if existing else None
        computed = Computed(
            period=period,
            value=value,
            comparison=year_before.value if year_before else None,
            comparison_label=period.shifted(-12).label if year_before else "",
            provisional=period.end_date >= today,
        )
        stored, _ = _store(
            indicator,
            computed,
            vintage=f"Entered by {user.full_name} ({user.agency.name})",
            user=user,
            note=note,
        )
        _rebase_following(stored, period)
        record(
            action=Audit.UPDATE if existing else Audit.CREATE,
            request=request,
            actor=user,
            obj=indicator,
            changes={
                "period": period.label,
                "value": {"from": _text(previous), "to": str(value)},
            },
        )
    return stored


def _rebase_following(stored: Value, period: Span) -> None:
    """A value entered for a period is the comparison of the same period a year later."""
    later = Value.objects.filter(
        indicator=stored.indicator_id, period_end=period.shifted(12).end_date
    ).first()
    if later:
        later.comparison = stored.value
        later.comparison_period = period.label
        later.save(update_fields=["comparison", "comparison_period"])


def store_populations(store_path, area: str) -> dict[int, int]:
    """The 10–17 populations for `area` in the evidence store at `store_path`, if any."""
    from pathlib import Path

    from ..evidence import Store
    from .youth_justice_values import populations_10_17

    if not area.strip() or not Path(store_path).exists():
        return {}
    with Store(store_path, read_only=True) as store:
        return populations_10_17(store.con, area)


def import_youth_justice(
    outcomes: list,
    *,
    data: bytes,
    file_name: str,
    area: str,
    populations: dict[int, int],
    as_at: date,
    user=None,
    request=None,
):
    """Recompute every youth justice indicator from an extract's outcomes, keeping the
    extract's fingerprint and the figures, never its rows; all or nothing."""
    import hashlib

    from . import youth_justice as yj
    from .models import YouthJusticeExtract
    from .youth_justice_values import youth_justice_series

    if not outcomes:
        raise IndicatorError(f"{file_name}: no outcomes to import")
    extract = yj.Extract(outcomes)
    dates = [o.outcome_date for o in outcomes]
    with transaction.atomic():
        stored = YouthJusticeExtract.objects.create(
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(outcomes),
            people=len({o.person_id for o in outcomes}),
            first_outcome=min(dates),
            last_outcome=max(dates),
            area=area,
            population_10_17={str(k): v for k, v in sorted(populations.items())},
            imported_by=user,
            imported_at=timezone.now(),
        )
        changed, memo = 0, {}
        for indicator in Indicator.objects.filter(source=Source.YOUTH_JUSTICE, active=True):
            for computed in youth_justice_series(
                extract,
                indicator.youth_justice_measure,
                Frequency(indicator.frequency),
                as_at=as_at,
                populations=populations,
                memo=memo,
            ):
                changed += _store(indicator, computed, vintage=stored.vintage, user=user)[1]
        record(
            action=Audit.CREATE,
            request=request,
            actor=user,
            obj=stored,
            changes={"rows": stored.rows, "sha256": stored.sha256, "values_changed": changed},
        )
    return stored
