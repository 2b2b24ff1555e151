"""The plan pages as each kind of user meets them: a lead updates only their own actions,
coordinators import and export, the board report's figures are the plan's."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.plans import board, convert, exporting
from saferhub.plans.demo import demo_plan
from saferhub.plans.models import Action, Strategy, Update

from .conftest import TODAY, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def lead_of(strategy):
    return Action.objects.filter(objective__strategy=strategy, leads__user__isnull=False).first()


def test_a_lead_sees_and_updates_only_their_own_actions(client, stored_plan, other_lead):
    own = lead_of(stored_plan)
    lead = own.leads.get(user__isnull=False).user
    not_own = Action.objects.exclude(leads__user=lead).first()
    sign_in(client, lead)

    page = client.get(reverse("plans:detail", args=[stored_plan.pk])).content.decode()
    assert own.text[:60] in page and not_own.text[:60] not in page
    mine = client.get(reverse("plans:mine")).content.decode()
    assert mine.count('href="/plans/actions/') == 2

    today = TODAY.isoformat()
    response = client.post(
        reverse("plans:action", args=[own.pk]),
        {"on": today, "rag": "Amber", "text": "Two posts filled"},
    )
    assert response.status_code == 302
    assert own.updates.order_by("-id").first().text == "Two posts filled"
    assert own.updates.order_by("-id").first().author == lead

    before = Update.objects.count()
    response = client.post(
        reverse("plans:action", args=[not_own.pk]),
        {"on": today, "rag": "Green", "text": "Not mine to say"},
    )
    assert response.status_code == 403 and Update.objects.count() == before


def test_another_lead_cannot_update_or_read_the_action(client, stored_plan, other_lead):
    own = lead_of(stored_plan)
    sign_in(client, other_lead)
    assert client.get(reverse("plans:action", args=[own.pk])).status_code == 403
    response = client.post(
        reverse("plans:action", args=[own.pk]),
        {"on": TODAY.isoformat(), "rag": "Red", "text": "x"},
    )
    assert response.status_code == 403
    assert not Update.objects.filter(text="x").exists()


def test_board_members_read_but_cannot_post(client, stored_plan, signed_in):
    client, _ = signed_in("board")
    action = lead_of(stored_plan)
    page = client.get(reverse("plans:action", args=[action.pk])).content.decode()
    assert "Post an update" not in page
    response = client.post(
        reverse("plans:action", args=[action.pk]),
        {"on": TODAY.isoformat(), "rag": "Red", "text": "x"},
    )
    assert response.status_code == 403


def test_a_bad_update_shows_the_error_and_writes_nothing(client, stored_plan, signed_in):
    client, _ = signed_in("coordinator")
    action = lead_of(stored_plan)
    before = Update.objects.count()
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    page = client.post(
        reverse("plans:action", args=[action.pk]), {"on": tomorrow, "rag": "Purple", "text": ""}
    ).content.decode()
    assert "cannot be in the future" in page
    assert "Select a valid choice" in page and "This field is required" in page
    assert Update.objects.count() == before


def test_viewing_a_plan_and_an_action_is_audited(client, stored_plan, signed_in):
    client, user = signed_in("board")
    client.get(reverse("plans:detail", args=[stored_plan.pk]))
    client.get(reverse("plans:action", args=[lead_of(stored_plan).pk]))
    views = AuditEntry.objects.filter(actor=user, action="view").values_list(
        "object_type", flat=True
    )
    assert set(views) == {"plans.Strategy", "plans.Action"}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_export_downloads_read_back_to_the_same_plan(client, stored_plan, signed_in, fmt, tmp_path):
    from saferhub.plans.importing import read_plan

    client, _ = signed_in("coordinator")
    response = client.get(reverse("plans:export", args=[stored_plan.pk, fmt]))
    assert response.status_code == 200
    path = tmp_path / f"plan.{fmt}"
    path.write_bytes(response.content)
    plan, problems = read_plan(path, title=stored_plan.title)
    assert problems == []
    expected = convert.to_draft(stored_plan)
    assert [len(o.actions) for o in plan.objectives] == [
        len(o.actions) for o in expected.objectives
    ]
    assert [a.text for _, a in plan.actions()] == [a.text for _, a in expected.actions()]
    assert [a.rag for _, a in plan.actions()] == [a.rag for _, a in expected.actions()]
    assert AuditEntry.objects.filter(action="export", changes__format=fmt).count() == 1


def test_board_report_html_and_pdf_carry_the_plan_figures(client, stored_plan, signed_in):
    from pypdf import PdfReader

    client, _ = signed_in("board")
    as_at = date(2026, 11, 24)
    report = board.build(convert.to_draft(stored_plan), as_at=as_at)
    html = client.get(
        reverse("plans:board-report", args=[stored_plan.pk, "html"]) + "?as_at=2026-11-24"
    )
    assert "style-src 'unsafe-inline'" in html["Content-Security-Policy"]
    text = html.content.decode()
    for line in report.exceptions:
        assert line.action.text in text
    assert f'<td class="num">{report.actions}</td></tr></tfoot>' in text
    pdf = client.get(
        reverse("plans:board-report", args=[stored_plan.pk, "pdf"]) + "?as_at=2026-11-24"
    )
    assert pdf["Content-Type"] == "application/pdf"
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "RAG summary by objective" in words and "Plan health check" in words
    assert f"{len(report.findings)} findings" in words
    assert "Q3 2026/27" in words


def test_health_page_lists_each_rule_with_its_count(client, stored_plan, signed_in):
    from saferhub.plans import health

    client, _ = signed_in("coordinator")
    page = client.get(reverse("plans:health", args=[stored_plan.pk]) + "?as_at=2026-11-24")
    text = page.content.decode()
    findings = health.check(convert.to_draft(stored_plan), today=date(2026, 11, 24))
    for rule in health.RULES:
        count = sum(f.rule == rule for f in findings)
        assert f'data-rule="{rule}">{count}</td>' in text


def test_import_preview_then_confirm(client, signed_in, tmp_path):
    client, _ = signed_in("coordinator")
    plan = demo_plan(date(2026, 11, 24))
    upload = io.BytesIO(exporting.plan_to_csv(plan))
    upload.name = "eastmere-plan.csv"
    page = client.post(
        reverse("plans:import"),
        {"file": upload, "title": plan.title, "starts": "2026-04-01", "ends": "2027-03-31"},
    )
    assert "Ready to import" in page.content.decode()
    assert "Import 7 actions" in page.content.decode()
    assert not Strategy.objects.exists()  # a preview stores nothing
    digest = page.context["digest"]
    stale = client.post(reverse("plans:import"), {"confirm": "1", "digest": "0" * 64})
    assert stale.status_code == 302 and not Strategy.objects.exists()  # the wrong file
    page = client.post(
        reverse("plans:import"),
        {"file": _upload(plan), "title": plan.title, "starts": "2026-04-01", "ends": "2027-03-31"},
    )
    response = client.post(reverse("plans:import"), {"confirm": "1", "digest": digest})
    strategy = Strategy.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[strategy.pk])
    assert len(convert.to_draft(strategy).actions()) == 7
    assert (strategy.starts, strategy.ends) == (date(2026, 4, 1), date(2027, 3, 31))
    again = client.post(reverse("plans:import"), {"confirm": "1", "digest": digest})
    assert again.status_code == 302 and Strategy.objects.count() == 1  # a second click


def _upload(plan) -> io.BytesIO:
    upload = io.BytesIO(exporting.plan_to_csv(plan))
    upload.name = "eastmere-plan.csv"
    return upload


def test_import_with_problems_lists_them_and_stores_nothing(client, signed_in):
    client, _ = signed_in("coordinator")
    content = (
        b"Objective,Objective title,Action,Lead,RAG\n"
        b"SO1,Burglary,Patrol hotspots,Eastmere Police,Green\n"
        b"SO1,Burglary,Visit victims,Eastmere Police,Purple\n"
    )
    upload = io.BytesIO(content)
    upload.name = "bad-plan.csv"
    page = client.post(
        reverse("plans:import"), {"file": upload, "starts": "2026-04-01", "ends": "2027-03-31"}
    ).content.decode()
    assert "could not be read" in page and "Purple" in page and "bad-plan.csv" in page
    assert client.post(reverse("plans:import"), {"confirm": "1"}).status_code == 302
    assert not Strategy.objects.exists()


def test_import_refuses_a_file_that_is_not_a_plan(client, signed_in):
    client, _ = signed_in("coordinator")
    upload = io.BytesIO(b"not a zip file")
    upload.name = "plan.docx"
    page = client.post(reverse("plans:import"), {"file": upload}).content.decode()
    assert "plan.docx" in page and "There is a problem" in page
    assert not Strategy.objects.exists()


def test_rollover_page_refuses_until_every_action_is_decided(client, stored_plan, signed_in):
    client, _ = signed_in("coordinator")
    page = client.post(reverse("plans:rollover", args=[stored_plan.pk])).content.decode()
    assert "cannot be rolled over yet" in page and Strategy.objects.count() == 1
    Action.objects.filter(disposition="").update(disposition="Continue")
    response = client.post(reverse("plans:rollover", args=[stored_plan.pk]))
    new = Strategy.objects.get(previous=stored_plan)
    assert response["Location"] == reverse("plans:detail", args=[new.pk])


def test_coordinator_edits_objective_adds_and_links_a_measure(client, stored_plan, signed_in):
    from saferhub.plans.models import Measure, Objective

    client, user = signed_in("coordinator")
    objective = Objective.objects.filter(strategy=stored_plan).first()
    response = client.post(
        reverse("plans:objective-edit", args=[objective.pk]),
        {"group": "High volume crime", "code": "SO1", "title": "Burglary and robbery", "aim": ""},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Burglary and robbery" and objective.aim == ""
    entry = AuditEntry.objects.get(object_type="plans.Objective", action="update")
    assert set(entry.changes) == {"title", "aim"} and entry.actor == user

    client.post(
        reverse("plans:measure-add", args=[objective.pk]),
        {"text": "Repeat burglary victims fall", "indicator": "Repeat burglary, rolling 12 months"},
    )
    measure = Measure.objects.get(text="Repeat burglary victims fall")
    assert measure.objective == objective and measure.order == 1
    assert AuditEntry.objects.filter(object_type="plans.Measure", action="create").count() == 1
    report = board.build(convert.to_draft(stored_plan), as_at=date(2026, 11, 24))
    # No indicator is defined here, so both linked measures are listed as unmatched.
    assert [m.indicator for _, m in report.unmatched][:2] == [
        "Residential burglary, rolling 12 months",
        "Repeat burglary, rolling 12 months",
    ]
    # The new measure has no action yet: the health check says so.
    findings = [f.text for f in report.findings if f.rule == "measure-without-action"]
    assert "Repeat burglary victims fall" in findings

    blank = client.post(reverse("plans:measure-edit", args=[measure.pk]), {"text": ""})
    assert "This field is required" in blank.content.decode()
