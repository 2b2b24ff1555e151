"""How the casework pages read: a locked record on no case in words, blank choices named,
case references on one line, one date format, full names in the links drawing, a search
label that says what to type."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.timezone import localtime

from saferhub.casework.drawing import _two_lines, links_around, svg
from tests.casework.pages import text

CSS = Path(__file__).resolve().parents[2] / "src/saferhub/web/static/saferhub/saferhub.css"


def test_a_locked_record_on_no_case_says_who_recorded_it_never_none(world, things, as_user):
    page = text(as_user(world.council_worker).get(reverse("casework:search") + "?q=Spare"))
    assert "Recorded by Eastmere Police (fictional); on no case." in page
    assert "None" not in page and "Business areas" not in page
    assert "on cases you cannot see" not in page


def test_the_decision_page_names_the_empty_condition_choices(world, things, as_user):
    url = reverse("casework:access-request", kwargs={"pk": things.access_request.pk})
    html = as_user(world.lead).get(url).content.decode()
    assert '<option value="" selected>Not needed: no special category data</option>' in html
    assert "Not needed: no criminal offence data" in html
    assert ">None<" not in html


def test_case_references_stay_on_one_line(world, things, as_user):
    html = as_user(world.lead).get(reverse("casework:cases")).content.decode()
    assert f'<span class="app-nowrap">{world.case.reference}</span>' in html
    home = as_user(world.lead).get(reverse("casework:index")).content.decode()
    assert "app-nowrap" in home or world.case.reference not in home
    assert ".app-nowrap { white-space: nowrap; }" in CSS.read_text()


def test_dates_are_written_one_way_and_a_period_gives_its_end_date(world, things, as_user):
    cases = text(as_user(world.lead).get(reverse("casework:cases")))
    assert "2 November 2026" in cases and "2 Nov 2026" not in cases
    glass = things.break_glass
    review = text(as_user(world.dpo).get(reverse("casework:review", kwargs={"pk": glass.pk})))
    start = localtime(glass.starts_at).strftime("%-d %B %Y, %H:%M")
    end = localtime(glass.ends_at).strftime("%-d %B %Y, %H:%M")
    assert f"{start} to {end}" in review


def test_the_drawing_shows_a_long_demo_name_in_full_on_two_lines():
    assert _two_lines("Larkspur Court (fictional)") == ["Larkspur Court", "(fictional)"]
    from tests.casework.test_drawing import ON, net

    drawn = svg(links_around(net((2, "place", "Larkspur Court (fictional)")), {2}, ON))
    assert "Larkspur Court</tspan>" in drawn and "(fictional)</tspan>" in drawn
    assert "…" not in drawn


def test_the_search_label_says_what_to_type_under_the_heading(world, as_user):
    html = as_user(world.lead).get(reverse("casework:search")).content.decode()
    assert '<h1 class="govuk-heading-l">Search</h1>' in html
    assert "Name, date of birth, postcode, VRM or identifier" in html
