"""The indicator pages as each role uses them: reading, entering, defining, importing,
exporting, and the indicator section of the board report."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.evidence.periods import month_index
from saferhub.indicators import services
from saferhub.indicators.definitions import Source
from saferhub.indicators.models import Indicator, Value, YouthJusticeExtract
from saferhub.indicators.models import YouthJusticeMeasure as M
from tests.indicators.conftest import Q1, Q2, board_report_indicators
from tests.web.conftest import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_dashboard_shows_latest_target_rag_direction_and_sparkline(signed_in, idva_values):
    client, _ = signed_in("board")
    page = client.get(reverse("indicators:dashboard")).content.decode()
    row = page[page.index("New IDVA cases") :]
    row = row[: row.index("</tr>")]
    assert "2026/27 Q2" in row and ">61<" in "".join(row.split())
    assert "govuk-tag--green" in row  # 61 against 60 or more
    assert "Improving" in row  # 52 then 61, higher is better
    assert "<polyline" in row  # the sparkline
    assert AuditEntry.objects.filter(object_type="indicators.dashboard", action="view").exists()


def test_indicator_page_has_history_chart_and_values(signed_in, idva_values):
    client, _ = signed_in("analyst")
    page = client.get(reverse("indicators:detail", args=[idva_values.pk])).content.decode()
    assert "<svg" in page and "2026/27 Q1" in page and "Entered by Demo" not in page
    assert page.count('class="govuk-table__row"') >= 3  # header and two periods
    assert "Enter a value" in page  # analysts enter values


def test_owner_practitioner_enters_a_value_other_agencies_cannot(client, make_user, idva, council):
    owner = make_user("practitioner", email="owner@example.invalid")
    owner.agency = council
    owner.save()
    outsider = make_user("practitioner", email="outsider@example.invalid")
    url = reverse("indicators:enter", args=[idva.pk])
    sign_in(client, outsider)
    assert client.post(url, {"period": Q1.end_date.isoformat(), "value": "5"}).status_code == 403
    assert not Value.objects.exists()
    client.logout()
    sign_in(client, owner)
    form = client.get(url).content.decode()
    assert Q1.label in form
    response = client.post(url, {"period": Q1.end_date.isoformat(), "value": "58", "note": "x"})
    assert response.status_code == 302
    value = Value.objects.get()
    assert (value.value, value.entered_by) == (Decimal(58), owner)


def test_entry_errors_name_the_field_and_store_nothing(signed_in, idva):
    client, _ = signed_in("coordinator")
    url = reverse("indicators:enter", args=[idva.pk])
    page = client.post(url, {"period": "1999-03-31", "value": "lots"}).content.decode()
    assert "There is a problem" in page
    assert "Value: Enter a number." in page
    assert "Period: Select a valid choice" in page
    assert not Value.objects.exists()


def test_board_members_never_enter(signed_in, idva):
    client, _ = signed_in("board")
    url = reverse("indicators:enter", args=[idva.pk])
    assert client.post(url, {"period": Q1.end_date.isoformat(), "value": "1"}).status_code == 403


def test_define_an_indicator_with_the_fields_its_source_needs(signed_in, council):
    client, _ = signed_in("analyst")
    base = {
        "code": "BURG-12M",
        "name": "Burglary",
        "definition": "Recorded burglary",
        "owner": council.pk,
        "unit": "count",
        "polarity": "lower",
        "frequency": "monthly",
        "target_kind": "change",
        "tolerance_pct": "5",
        "active": "on",
    }
    page = client.post(
        reverse("indicators:new"), {**base, "source": "evidence", "category": "burglarly"}
    ).content.decode()
    assert "Unknown category &#x27;burglarly&#x27;" in page
    assert "Enter the evidence area." in page
    assert "Enter the target change as a percentage." in page
    assert not Indicator.objects.exists()
    response = client.post(
        reverse("indicators:new"),
        {
            **base,
            "source": "evidence",
            "category": "burglary",
            "area": "Alderby",
            "period_rule": "rolling_12",
            "target_change_pct": "-10",
        },
    )
    assert response.status_code == 302
    made = Indicator.objects.get()
    assert (made.source, made.target_change_pct) == (Source.EVIDENCE, Decimal(-10))
    assert AuditEntry.objects.filter(action="create", object_id=str(made.pk)).exists()


def test_exports_carry_the_same_figures_and_are_formula_safe(signed_in, idva_values):
    idva_values.name = "=HYPERLINK(1)"
    idva_values.save()
    client, _ = signed_in("board")
    text = client.get(reverse("indicators:export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Indicator"] == "'=HYPERLINK(1)"
    assert (rows[0]["Period"], rows[0]["Value"], rows[0]["Target"], rows[0]["RAG"]) == (
        "2026/27 Q2",
        "61",
        "60",
        "Green",
    )
    content = client.get(reverse("indicators:export-one", args=[idva_values.pk, "xlsx"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[3]][:4] == ["2026/27 Q2", "2026-07-01", "2026-09-30", 61]
    assert client.get(reverse("indicators:export", args=["pdf"])).status_code == 400
    assert AuditEntry.objects.filter(action="export").count() == 2


EXTRACT_HEADER = "Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date\n"


def test_youth_justice_import_rejects_a_bad_extract_with_row_messages(signed_in, council):
    Indicator.objects.create(
        code="YJ-FTE",
        name="FTE",
        definition="d",
        owner=council,
        source=Source.YOUTH_JUSTICE,
        youth_justice_measure=M.FTE_COUNT,
    )
    client, _ = signed_in("analyst")
    bad = (
        EXTRACT_HEADER
        + "A1,2010-01-01,M,White,Youth Caution,2025-05-01,2025-04-01\n"
        + "A2,2010-01-01,F,Asian,Community Hug,2025-05-01,2025-04-01\n"
        + "A3,2010-01-01,F,Asian,Referral Order,2099-05-01,2025-04-01\n"
    ).encode()
    upload = io.BytesIO(bad)
    upload.name = "extract.csv"
    page = client.post(reverse("indicators:youth-justice"), {"extract": upload}).content.decode()
    assert "The extract was not imported" in page
    assert "row 3" in page and "Community Hug" in page
    assert "row 4" in page and "01/05/2099 is in the future" in page
    assert not YouthJusticeExtract.objects.exists() and not Value.objects.exists()


def test_youth_justice_import_computes_and_keeps_only_figures(signed_in, council):
    fte = Indicator.objects.create(
        code="YJ-FTE",
        name="FTE",
        definition="d",
        owner=council,
        source=Source.YOUTH_JUSTICE,
        youth_justice_measure=M.FTE_COUNT,
        frequency="annual",
    )
    client, _ = signed_in("coordinator")
    good = (
        EXTRACT_HEADER
        + "A1,2010-01-01,M,White,Youth Caution,2025-05-01,2025-04-01\n"
        + "A2,2011-01-01,F,Asian,Triage,2025-06-01,2025-04-01\n"
        + "A1,2010-01-01,M,White,Referral Order,2025-09-01,2025-08-01\n"
    ).encode()
    upload = io.BytesIO(good)
    upload.name = "extract.csv"
    response = client.post(
        reverse("indicators:youth-justice"), {"extract": upload, "populations": "2025=20000"}
    )
    assert response.status_code == 302
    extract = YouthJusticeExtract.objects.get()
    assert (extract.rows, extract.people) == (3, 2)
    # 2025/26: one first-time entrant (A1's caution; the referral order is a second outcome,
    # and A2's triage is not an entry).
    value = Value.objects.get(indicator=fte, period="2025/26")
    assert value.value == Decimal(1)
    assert value.vintage.startswith("Youth justice extract extract.csv")
    entry = AuditEntry.objects.get(object_type="indicators.YouthJusticeExtract")
    assert "A1" not in str(entry.changes) and entry.changes["rows"] == 3


def test_board_report_shows_indicators_with_their_linked_measures(
    signed_in, idva_values, make_user
):
    from saferhub.plans.demo import demo_plan
    from saferhub.plans.models import Measure
    from saferhub.plans.services import import_plan

    strategy = import_plan(demo_plan(date(2026, 11, 24)), source="test")
    measure = Measure.objects.filter(objective__strategy=strategy).first()
    measure.indicator = "idva-cases"  # any case
    measure.save()
    client, _ = signed_in("board")
    section, row = board_report_indicators(client, strategy, "New IDVA cases")
    assert "2026/27 Q2" in row and "61" in row and "Green" in row
    assert measure.text[:30] in row
    assert "names “WEAPONS-12M”" in section  # a demo measure naming no existing indicator


def test_entry_offers_the_last_whole_period_first_and_marks_the_part_period(signed_in, idva):
    """On 24 November 2026 (tests.conftest.NOW) Q2 (July to September) is the last whole
    quarter; Q3 (October to December) is in progress."""
    client, _ = signed_in("coordinator")
    url = reverse("indicators:enter", args=[idva.pk])
    form = client.get(url).content.decode()
    options = [o for o in form.split("<option")[1:]]
    assert "2026/27 Q2" in options[0] and "provisional" not in options[0]
    assert "2026/27 Q1" in options[1]
    assert "2026/27 Q3 (in progress: provisional)" in options[-1]
    q3_end = date(2026, 12, 31).isoformat()
    assert client.post(url, {"period": q3_end, "value": "70"}).status_code == 302
    assert client.post(url, {"period": Q2.end_date.isoformat(), "value": "61"}).status_code == 302
    assert Value.objects.get(period_end=date(2026, 12, 31)).provisional
    assert not Value.objects.get(period_end=Q2.end_date).provisional
    page = client.get(reverse("indicators:detail", args=[idva.pk])).content.decode()
    latest = page[page.index("Latest") :]
    latest = latest[: latest.index("</dd>")]
    assert "2026/27 Q2" in latest and "Q3" not in latest  # the part quarter is not the latest


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        ("count", "-5", "A count cannot be negative; -5 was entered."),
        ("per_1000", "-0.5", "A rate cannot be negative; -0.5 was entered."),
        ("percentage", "101", "A percentage must be between 0 and 100; 101 was entered."),
        ("percentage", "-1", "A percentage must be between 0 and 100; -1 was entered."),
        ("count", "12.5", "A count is a whole number; 12.5 was entered."),
    ],
)
def test_impossible_values_are_refused_on_the_value_field(signed_in, idva, unit, typed, message):
    idva.unit = unit
    idva.save()
    client, user = signed_in("coordinator")
    url = reverse("indicators:enter", args=[idva.pk])
    response = client.post(url, {"period": Q2.end_date.isoformat(), "value": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Value: {message}" in page  # in the error summary, against the field
    assert not Value.objects.exists()
    # The service refuses them too, whoever calls it (the CLI, the demo).
    with pytest.raises(
        services.IndicatorError, match=r"cannot be negative|between 0 and 100|whole number"
    ):
        services.enter_value(idva, period=Q2, value=Decimal(typed), note="", user=user)
    assert not Value.objects.exists()


def test_a_percentage_of_0_or_100_is_a_real_value(signed_in, idva):
    idva.unit = "percentage"
    idva.save()
    _, user = signed_in("coordinator")
    for period, typed in ((Q1, 0), (Q2, 100)):
        services.enter_value(idva, period=period, value=Decimal(typed), note="", user=user)
    assert sorted(Value.objects.values_list("value", flat=True)) == [Decimal(0), Decimal(100)]


def test_control_characters_never_reach_a_note_or_break_an_export(signed_in, idva):
    client, user = signed_in("coordinator")
    services.enter_value(
        idva, period=Q2, value=Decimal(61), note="from\x01 the\x08 log\x02\nline two", user=user
    )
    assert Value.objects.get().note == "from the log\nline two"
    # A note stored before input was cleaned (written around the service) still exports.
    Value.objects.update(note="old\x0bnote")
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("indicators:export-one", args=[idva.pk, fmt]))
        assert response.status_code == 200, fmt


def test_a_long_history_is_paged_latest_first(signed_in, idva, make_user):
    """Forty values a page: 45 quarters of history leave 5 on page 2, the oldest."""
    from saferhub.indicators.definitions import Frequency
    from saferhub.indicators.periods import recent_periods

    user = make_user("coordinator", email="history@example.invalid")
    for span in recent_periods(month_index(2026, 9), Frequency.QUARTERLY, 45):
        services.enter_value(idva, period=span, value=Decimal(50), note="", user=user)
    client, _ = signed_in("analyst")
    url = reverse("indicators:detail", args=[idva.pk])
    first = client.get(url).content.decode()
    assert first.count('<td class="govuk-table__cell">20') == 40  # 40 period rows
    assert "2026/27 Q2" in first and 'aria-label="Pages of values"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('<td class="govuk-table__cell">20') == 5 and "2015/16 Q3" in second
