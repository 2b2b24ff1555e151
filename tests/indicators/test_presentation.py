"""How an indicator is shown (issue 13): direction in words and better/worse symbols, values
to the precision of their unit, and chart axes on round ticks in the site's font. The
expected strings are written out by hand."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from saferhub.indicators import charts, services
from saferhub.indicators.definitions import Direction, Polarity, TargetKind
from saferhub.indicators.targets import TargetSpec, describe, direction_words, display
from tests.indicators.conftest import Q1, Q2, board_report_indicators

D = Decimal
IMPROVING, WORSENING, SAME = Direction.IMPROVING, Direction.WORSENING, Direction.SAME
LOWER, HIGHER = Polarity.LOWER, Polarity.HIGHER


@pytest.mark.parametrize(
    ("direction", "polarity", "label", "symbol", "meaning"),
    [
        (IMPROVING, LOWER, "Improving", "✓", "better: lower than the period before"),
        (IMPROVING, HIGHER, "Improving", "✓", "better: higher than the period before"),
        (WORSENING, LOWER, "Worsening", "✗", "worse: higher than the period before"),
        (WORSENING, HIGHER, "Worsening", "✗", "worse: lower than the period before"),
        (SAME, LOWER, "No change", "=", "the same as the period before"),
        (SAME, HIGHER, "No change", "=", "the same as the period before"),
    ],
)
def test_direction_in_words_and_symbols(direction, polarity, label, symbol, meaning):
    words = direction_words(direction, polarity)
    assert (words.label, words.symbol, words.meaning) == (label, symbol, meaning)
    assert words.text == f"{label} ({meaning})"
    # The stored strings (a model's polarity, a status's direction) read the same.
    assert direction_words(direction.value, polarity.value) == words


def test_no_direction_without_an_earlier_period():
    assert direction_words(None, Polarity.LOWER) is None
    assert direction_words("", "higher") is None


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (D("1234"), "count", "1,234"),
        (D("1234.5"), "count", "1,235"),  # counts are whole; a half rounds up
        (D("0"), "count", "0"),
        (D("5.678"), "per_1000", "5.68"),
        (D("4.3"), "per_1000", "4.30"),
        (D("1234.5"), "per_1000", "1,234.50"),
        (D("112.46"), "per_100000", "112.5"),
        (D("112.45"), "per_100000", "112.5"),
        (D("1200"), "per_100000", "1,200.0"),
        (D("71.94"), "percentage", "71.9%"),
        (D("50"), "percentage", "50.0%"),
        (71.96, "percentage", "72.0%"),
        (None, "percentage", "–"),
    ],
)
def test_values_to_the_precision_of_their_unit(value, unit, shown):
    assert display(value, unit) == shown


def test_a_target_is_shown_to_the_precision_of_its_value():
    spec = TargetSpec(TargetKind.ABSOLUTE, value=D("4.5"), polarity=Polarity.LOWER)
    assert describe(spec, "per_1000") == "4.50 or less"
    assert describe(spec, "percentage") == "4.5% or less"
    assert describe(TargetSpec(TargetKind.ABSOLUTE, value=D(1500)), "count") == "1,500 or less"


@pytest.mark.parametrize(
    ("high", "ticks"),
    [
        (0.3, ["0", "0.1", "0.2", "0.3"]),
        (61, ["0", "20", "40", "60", "80"]),
        (1319, ["0", "500", "1,000", "1,500"]),
        (100, ["0", "25", "50", "75", "100"]),
        (7, ["0", "2", "4", "6", "8"]),
        (0.07, ["0", "0.02", "0.04", "0.06", "0.08"]),
        (0, ["0", "0.25", "0.5", "0.75", "1"]),  # nothing to show: an axis of 0 to 1
    ],
)
def test_nice_ticks(high, ticks):
    chosen = charts.nice_ticks(high)
    assert [charts.tick_label(t) for t in chosen] == ticks
    assert 3 <= len(chosen) <= 5 and chosen[0] == 0 and chosen[-1] >= D(str(high))


def test_percentage_ticks_carry_the_sign():
    assert [charts.tick_label(t, "percentage") for t in charts.nice_ticks(71.9)] == [
        "0%",
        "20%",
        "40%",
        "60%",
        "80%",
    ]


@dataclass
class _Point:
    period: str
    value: Decimal | None
    target: Decimal | None
    rag: str | None = "Green"
    provisional: bool = False


def test_history_chart_has_round_tick_labels_in_the_site_font():
    points = [_Point("2025/26", D(1319), D(1200)), _Point("2026/27", D(1100), D(1200))]
    svg = charts.history(points, label="Cases", unit="count")
    labels = [">0<", ">500<", ">1,000<", ">1,500<"]
    assert all(label in svg for label in labels)
    assert ">1,319<" not in svg.replace("</title>", "")  # the axis is not the data's maximum
    assert "2025/26: 1,319</title>" in svg
    assert "font-family=\"'GDS Transport', arial, sans-serif\"" in svg
    assert "style=" not in svg and "<script" not in svg  # CSP: no inline style or script


def test_history_chart_of_a_rate():
    points = [_Point("Q1", D("0.27"), None, rag=None), _Point("Q2", D("0.214"), None, rag=None)]
    svg = charts.history(points, label="Rate", unit="per_1000")
    assert all(f">{t}<" in svg for t in ("0", "0.1", "0.2", "0.3"))
    assert "Q2: 0.21</title>" in svg


def test_dashboard_and_page_show_direction_words_with_a_hidden_symbol(signed_in, idva_values):
    client, _ = signed_in("board")
    page = client.get(reverse("indicators:dashboard")).content.decode()
    row = page[page.index("New IDVA cases") :]
    row = row[: row.index("</tr>")]
    assert '<span aria-hidden="true">✓</span>&nbsp;<strong>Improving</strong>' in row
    assert "better: higher than the period before" in row
    detail = client.get(reverse("indicators:detail", args=[idva_values.pk])).content.decode()
    assert "<strong>Improving</strong>" in detail
    assert "60 or more" in detail  # the target, a count, whole
    assert "font-family=\"'GDS Transport', arial, sans-serif\"" in detail


def test_export_direction_column_is_in_words(signed_in, idva_values):
    client, _ = signed_in("board")
    text = client.get(reverse("indicators:export", args=["csv"])).content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["Code"] == "IDVA-CASES")
    assert row["Direction"] == "Improving (better: higher than the period before)"
    assert row["Value"] == "61" and row["Target"] == "60"


def test_board_report_direction_in_words(signed_in, idva_values):
    from saferhub.plans.demo import demo_plan
    from saferhub.plans.services import import_plan

    strategy = import_plan(demo_plan(date(2026, 11, 24)), source="test")
    client, _ = signed_in("board")
    _, row = board_report_indicators(client, strategy, "New IDVA cases")
    assert '<span aria-hidden="true">✓</span> Improving' in row
    assert "better: higher than the period before" in row


def test_indicator_page_of_a_percentage(signed_in, council, make_user):
    from saferhub.indicators.definitions import Frequency, Source
    from saferhub.indicators.models import Indicator

    share = Indicator.objects.create(
        code="SHARE",
        name="Share of cases closed",
        definition="Cases closed in the quarter as a share of those open.",
        owner=council,
        source=Source.MANUAL,
        unit="percentage",
        polarity=Polarity.HIGHER,
        frequency=Frequency.QUARTERLY,
        target_kind=TargetKind.ABSOLUTE,
        target_value=D(75),
    )
    user = make_user("coordinator", email="entry@example.invalid")
    services.enter_value(share, period=Q1, value=D("71.94"), note="", user=user)
    services.enter_value(share, period=Q2, value=D("71.94"), note="", user=user)
    client, _ = signed_in("board")
    page = client.get(reverse("indicators:detail", args=[share.pk])).content.decode()
    assert "71.9%" in page and "75.0% or more" in page  # value and target to 1 place
    assert all(f">{t}<" in page for t in ("0%", "20%", "40%", "60%", "80%"))  # the axis
    assert "2026/27 Q2: 71.9%</title>" in page
    assert '<span aria-hidden="true">=</span>&nbsp;<strong>No change</strong>' in page
