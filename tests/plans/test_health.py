"""Each health-check rule fires on the fault it names, and only there; the board report's
figures add up to the plan."""

from __future__ import annotations

from datetime import date

from saferhub.plans import board, health
from saferhub.plans.draft import (
    Action,
    Disposition,
    Lead,
    Measure,
    Objective,
    Plan,
    Rag,
    ReviewKind,
    ReviewPoint,
    Update,
)
from saferhub.plans.quarters import quarter_of

TODAY = date(2026, 11, 24)  # Q3 2026/27: October to December 2026
LEAD = [Lead(person="Ada Okafor", agency="Eastmere Police")]


def due(day: date) -> ReviewPoint:
    return ReviewPoint(text=f"{day:%d/%m/%Y}", kind=ReviewKind.DATE, due=day)


def healthy(text: str, **changes) -> Action:
    """An action with nothing wrong: led, reviewed quarterly, updated this quarter, Green."""
    fields = dict(
        text=text,
        measure=0,
        leads=list(LEAD),
        review=ReviewPoint(text="Quarterly", kind=ReviewKind.QUARTERLY),
        updates=[Update(date(2026, 10, 5), "On track", Rag.GREEN)],
        key=len(text),
    )
    fields.update(changes)
    return Action(**fields)


def plan_of(*actions: Action, measures: int = 1) -> Plan:
    return Plan(
        title="Eastmere plan 2026/27",
        starts=date(2026, 4, 1),
        ends=date(2027, 3, 31),
        objectives=[
            Objective(
                code="SO1",
                title="Burglary",
                measures=[Measure(f"measure {i}") for i in range(measures)],
                actions=list(actions),
            )
        ],
    )


def rules(plan: Plan) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in health.check(plan, today=TODAY)]


def test_a_healthy_plan_has_no_findings():
    assert rules(plan_of(healthy("Patrol the high street at night"))) == []


def test_complete_but_not_green():
    plan = plan_of(
        healthy(
            "Fit locks for repeat victims",
            disposition=Disposition.COMPLETE,
            updates=[Update(date(2026, 10, 1), "Done", Rag.AMBER)],
        ),
        healthy("Hold a knife amnesty week", disposition=Disposition.COMPLETE),
    )
    findings = health.check(plan, today=TODAY)
    assert [(f.rule, f.text, f.detail) for f in findings] == [
        ("complete-not-green", "Fit locks for repeat victims", "RAG is Amber")
    ]


def test_review_point_before_the_plan_starts():
    plan = plan_of(
        healthy("Set up the town centre group", review=due(date(2026, 3, 31))),
        healthy(
            "Open the youth hub",
            review=due(date(2026, 4, 1)),
            updates=[Update(date(2026, 11, 1), "Opened", Rag.GREEN)],
        ),
    )
    assert ("review-before-start", "Set up the town centre group") in rules(plan)
    assert ("review-before-start", "Open the youth hub") not in rules(plan)


def test_review_point_passed_without_an_update():
    stale = healthy(
        "Map the exploitation hotspots",
        review=due(date(2026, 9, 30)),
        updates=[Update(date(2026, 6, 1), "Started", Rag.GREEN)],  # > 90 days before due
    )
    answered = healthy(
        "Brief the licensing committee",
        review=due(date(2026, 9, 30)),
        updates=[
            Update(date(2026, 7, 15), "Briefed", Rag.GREEN),
            Update(date(2026, 10, 2), "Follow-up held", Rag.GREEN),
        ],
    )
    not_yet = healthy("Review the CCTV strategy", review=due(date(2026, 12, 31)), updates=[])
    closed = healthy(
        "Close the old panel",
        review=due(date(2026, 9, 30)),
        updates=[],
        disposition=Disposition.REMOVE,
    )
    found = rules(plan_of(stale, answered, not_yet, closed))
    assert ("review-passed", "Map the exploitation hotspots") in found
    assert ("review-passed", "Brief the licensing committee") not in found
    assert ("review-passed", "Review the CCTV strategy") not in found
    assert ("review-passed", "Close the old panel") not in found


def test_no_lead_and_no_review_point():
    plan = plan_of(healthy("Recruit street pastors", leads=[], review=ReviewPoint()))
    assert rules(plan) == [
        ("no-lead", "Recruit street pastors"),
        ("no-review-point", "Recruit street pastors"),
    ]
    # An agency with no named person is a lead; "Ongoing" is a review point.
    plan = plan_of(
        healthy(
            "Recruit street pastors",
            leads=[Lead(agency="Eastmere Council")],
            review=ReviewPoint(text="Ongoing", kind=ReviewKind.ONGOING),
        )
    )
    assert rules(plan) == []


def test_duplicates_and_near_duplicates():
    plan = plan_of(
        healthy("Deliver the Safe Nights programme in the town centre"),
        healthy("Deliver the Safe Nights programme in the town centre."),
        healthy("Deliver the 'Safe Nights' programme in the town centres"),
        healthy("Commission a domestic abuse perpetrator programme"),
    )
    found = [f for f in health.check(plan, today=TODAY) if f.rule == "duplicate"]
    assert len(found) == 3  # every pair of the three alike, not the fourth
    assert all("perpetrator" not in f.text and "perpetrator" not in f.detail for f in found)
    assert any(f.detail.startswith("the same words as") for f in found)
    assert any("% alike with" in f.detail for f in found)


def test_measure_with_no_action():
    plan = plan_of(healthy("Run a burglary campaign", measure=1), measures=3)
    assert [(r, t) for r, t in rules(plan)] == [
        ("measure-without-action", "measure 0"),
        ("measure-without-action", "measure 2"),
    ]


def test_no_update_this_quarter():
    last_quarter = healthy(
        "Hold the ASB panel", updates=[Update(date(2026, 9, 30), "Held", Rag.GREEN)]
    )
    undated = healthy("Hold the hate crime forum", updates=[Update(None, "Held", Rag.GREEN)])
    completed = healthy(
        "Publish the strategy",
        disposition=Disposition.COMPLETE,
        updates=[Update(date(2026, 5, 1), "Published", Rag.GREEN)],
    )
    found = rules(plan_of(last_quarter, undated, completed))
    assert found == [
        ("no-update-this-quarter", "Hold the ASB panel"),
        ("no-update-this-quarter", "Hold the hate crime forum"),
    ]
    detail = health.check(plan_of(last_quarter), today=TODAY)[0].detail
    assert detail == "nothing dated in Q3 2026/27 (October to December 2026)"


def test_quarters_are_named_in_financial_years():
    assert quarter_of(date(2027, 2, 10)).label == "Q4 2026/27 (January to March 2027)"
    assert quarter_of(date(2026, 4, 1)).label == "Q1 2026/27 (April to June 2026)"
    q = quarter_of(date(2026, 12, 31))
    assert (q.starts, q.ends) == (date(2026, 10, 1), date(2026, 12, 31))


def test_current_rag_is_the_latest_rated_update():
    action = healthy(
        "x",
        updates=[
            Update(date(2026, 10, 1), "late", Rag.RED),
            Update(None, "undated", Rag.GREEN),
            Update(date(2026, 11, 1), "no rating", None),
        ],
    )
    assert action.rag == Rag.RED
    assert action.latest.text == "no rating"


def test_board_report_counts_add_up_and_lists_exceptions_and_overdue():
    red = healthy(
        "Open the night hub",
        updates=[Update(date(2026, 10, 9), "Delayed", Rag.RED)],
        review=due(date(2026, 10, 31)),
    )
    amber = healthy("Train door staff", updates=[Update(date(2026, 11, 2), "Half done", Rag.AMBER)])
    green_past_due = healthy("Write the ASB policy", review=due(date(2026, 6, 30)))
    unrated = healthy("Start a CCTV review", updates=[])
    removed = healthy(
        "Old scheme",
        disposition=Disposition.REMOVE,
        updates=[Update(date(2026, 10, 1), "Stopped", Rag.RED)],
    )
    report = board.build(plan_of(red, amber, green_past_due, unrated, removed), as_at=TODAY)
    assert report.totals == {"Red": 1, "Amber": 1, "Green": 1, "Not rated": 1}
    assert report.actions == 4 == sum(row.total for row in report.rag)
    assert [line.action.text for line in report.exceptions] == [
        "Open the night hub",
        "Train door staff",
    ]
    assert [line.action.text for line in report.overdue] == ["Open the night hub"]
    assert report.overdue[0].note == "due 31 October 2026"
    assert report.quarter.label.startswith("Q3 2026/27")
    assert [(f.rule, f.text) for f in report.findings] == [
        ("no-update-this-quarter", "Start a CCTV review")
    ]


def test_a_same_day_correction_is_the_current_rating():
    action = healthy(
        "Fit locks",
        updates=[
            Update(date(2026, 11, 2), "Behind", Rag.RED),
            Update(date(2026, 11, 2), "Corrected: on track", Rag.GREEN),
        ],
    )
    assert action.rag == Rag.GREEN and action.latest.text == "Corrected: on track"


def test_board_report_as_at_an_earlier_day_ignores_later_updates():
    action = healthy(
        "Open the night hub",
        updates=[
            Update(date(2026, 10, 9), "Delayed", Rag.RED),
            Update(date(2026, 11, 20), "Open", Rag.GREEN),
        ],
    )
    earlier = board.build(plan_of(action), as_at=date(2026, 10, 31))
    assert earlier.totals["Red"] == 1 and earlier.exceptions[0].action.latest.text == "Delayed"
    assert board.build(plan_of(action), as_at=TODAY).totals["Green"] == 1
