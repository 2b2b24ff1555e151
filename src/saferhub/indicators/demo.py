"""The demo partnership's indicators: evidence indicators on the demo area, two entered by
hand with a year and a half of fictional values, and the youth justice measures computed
from a synthetic extract of fictional children. Codes and names match the demo plan's
measures, so the board report shows them linked."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..accounts.models import Agency, User
from ..evidence.periods import month_index
from . import services
from .definitions import Frequency, PeriodRule, Polarity, Source, TargetKind, Unit
from .demo_extract import write_demo_extract
from .extract import read_extract
from .models import Indicator
from .models import YouthJusticeMeasure as M
from .periods import recent_periods

DEMO_POPULATION_10_17 = 24_000  # a fictional youth justice service area's 10–17 population


def _spec(code, name, definition, owner, **fields) -> dict:
    return {"code": code, "name": name, "definition": definition, "owner": owner, **fields}


def demo_indicators(area: str, agencies: dict[str, Agency]) -> list[dict]:
    police, council, yos = agencies["police"], agencies["council"], agencies["youth_offending"]
    evidence = {"source": Source.EVIDENCE, "area": area}
    yj = {"source": Source.YOUTH_JUSTICE, "frequency": Frequency.QUARTERLY}
    return [
        _spec(
            "BURG-12M",
            "Residential burglary, rolling 12 months",
            f"Recorded residential burglaries in {area}, 12 months to the latest month, "
            "against the 12 months before.",
            police,
            category="residential_burglary",
            period_rule=PeriodRule.ROLLING_12,
            frequency=Frequency.MONTHLY,
            target_kind=TargetKind.CHANGE,
            target_change_pct=Decimal(0),
            **evidence,
        ),
        _spec(
            "WEAPONS-12M",
            "Possession of weapons offences, rolling 12 months",
            f"Recorded possession of weapons offences in {area}; the plan aims for 10% fewer "
            "each year.",
            police,
            category="possession_of_weapons",
            period_rule=PeriodRule.ROLLING_12,
            frequency=Frequency.QUARTERLY,
            target_kind=TargetKind.CHANGE,
            target_change_pct=Decimal(-10),
            **evidence,
        ),
        _spec(
            "VWI-FYTD",
            "Violence with injury per 1,000 residents, financial year to date",
            f"Recorded violence with injury in {area} per 1,000 residents, financial year to "
            "date against the same months last year.",
            police,
            category="violence_with_injury",
            period_rule=PeriodRule.FYTD,
            frequency=Frequency.MONTHLY,
            unit=Unit.PER_1000,
            target_kind=TargetKind.CHANGE,
            target_change_pct=Decimal(-5),
            **evidence,
        ),
        _spec(
            "IDVA-CASES",
            "New IDVA cases supported",
            "New cases taken on by the independent domestic violence advisers in the quarter "
            "(the service is commissioned for 240 a year).",
            council,
            source=Source.MANUAL,
            polarity=Polarity.HIGHER,
            target_kind=TargetKind.ABSOLUTE,
            target_value=Decimal(60),
        ),
        _spec(
            "ASB-REPEAT",
            "Repeat ASB callers",
            "Callers reporting anti-social behaviour three or more times in the quarter, from "
            "the council's ASB case system.",
            council,
            source=Source.MANUAL,
            target_kind=TargetKind.CHANGE,
            target_change_pct=Decimal(-10),
            tolerance_pct=Decimal(10),
        ),
        _spec(
            "YJ-FTE",
            "First-time entrants per 100,000 aged 10–17",
            "Children receiving their first caution or court outcome (triage excluded), per "
            "100,000 of the 10–17 population.",
            yos,
            youth_justice_measure=M.FTE_RATE,
            unit=Unit.PER_100000,
            target_kind=TargetKind.CHANGE,
            target_change_pct=Decimal(-5),
            **yj,
        ),
        _spec(
            "YJ-REOFFENDING",
            "Proven reoffending by children (binary rate)",
            "Share of each quarter's cohort who commit a proven reoffence within 12 months.",
            yos,
            youth_justice_measure=M.REOFFENDING_RATE,
            unit=Unit.PERCENTAGE,
            target_kind=TargetKind.ABSOLUTE,
            target_value=Decimal(30),
            **yj,
        ),
        _spec(
            "YJ-CUSTODY",
            "Custodial sentences per 1,000 aged 10–17",
            "Custodial sentences (DTO, sections 250/259) per 1,000 of the 10–17 population.",
            yos,
            youth_justice_measure=M.CUSTODY_RATE,
            unit=Unit.PER_1000,
            target_kind=TargetKind.ABSOLUTE,
            target_value=Decimal("0.05"),
            tolerance_pct=Decimal(20),
            **yj,
        ),
        _spec(
            "YJ-TRIAGE",
            "Triaged children who become first-time entrants within 12 months",
            "Share of children triaged in the quarter who enter the system within 12 months.",
            yos,
            youth_justice_measure=M.TRIAGE_TO_FTE,
            unit=Unit.PERCENTAGE,
            target_kind=TargetKind.ABSOLUTE,
            target_value=Decimal(15),
            **yj,
        ),
    ]


# Fictional quarterly values, oldest first: IDVA cases (target 60) and repeat ASB callers.
DEMO_VALUES = {"IDVA-CASES": [52, 58, 61, 49, 66, 71], "ASB-REPEAT": [44, 41, 47, 39, 36, 40]}


def load_demo_indicators(*, area: str, today: date, user: User) -> int:
    """Create the demo indicators once (by code), enter the fictional values and import the
    synthetic youth justice extract. Returns the number of indicators created."""
    agencies = {a.type: a for a in Agency.objects.all()}
    created = 0
    for spec in demo_indicators(area, agencies):
        if Indicator.objects.filter(code=spec["code"]).exists():
            continue
        services.save_indicator(Indicator(), fields=spec, user=user)
        created += 1
    if not created:
        return 0
    spans = recent_periods(month_index(today.year, today.month) - 1, Frequency.QUARTERLY, 6)
    for code, values in DEMO_VALUES.items():
        indicator = Indicator.objects.get(code=code)
        for span, value in zip(spans, values, strict=True):
            services.enter_value(
                indicator, period=span, value=Decimal(value), note="Demo figure", user=user
            )
    with tempfile.TemporaryDirectory() as folder:
        path = write_demo_extract(Path(folder) / "demo-yjs-extract.csv", today=today)
        services.import_youth_justice(
            read_extract(path, today=today),
            data=path.read_bytes(),
            file_name=path.name,
            area="",
            populations={year: DEMO_POPULATION_10_17 for year in range(2000, today.year + 1)},
            as_at=today,
            user=user,
        )
    return created
