"""The real site in a real browser: `saferhub demo` + `saferhub serve` (gunicorn) on a fresh
SQLite database, driven by Playwright in the system Chromium (tests/browser/harness.py). Sign
in with a real TOTP code, browse an assessment, post an update as a lead, correct an indicator,
with axe-core on each page on the way; test_pages.py opens every page as every role."""

from __future__ import annotations

import subprocess
import sys

from .harness import PASSWORD, Looker, needs_browser, new_page

pytestmark = needs_browser


def test_sign_in_browse_an_assessment_and_sign_out(site, browser, accounts):
    base, looker = site.base, Looker("assessment")
    page = new_page(browser)
    page.goto(f"{base}/")
    assert page.url.startswith(f"{base}/accounts/sign-in/")
    accounts.sign_in(page, "analyst@demo.saferhub.invalid", look=looker.look)
    assert page.url == f"{base}/"
    looker.look(page, "home")
    page.click("text=Strategic assessment")
    page.fill("#id_area", "Northbrook")
    page.fill("#id_period", "2023")
    page.fill("#id_compare", "Eastmere,Westford")
    page.click("main button[type=submit]")
    page.wait_for_selector("#categories")
    looker.look(page, "assessment")
    total = page.inner_text("#categories tbody tr:first-child td:first-of-type")
    heading = page.inner_text("main h2")
    page.click("text=Sign out")
    page.wait_for_url("**/accounts/sign-in/**")
    assert page.goto(f"{base}/evidence/").url.startswith(f"{base}/accounts/sign-in/")
    page.context.close()
    assert heading == "Northbrook: 2023"
    assert total.replace(",", "") == str(expected_total(site))
    assert not looker.problems, looker.report()


def expected_total(site) -> int:
    """The same figure straight from the evidence engine."""
    from saferhub.evidence import Evidence, Store

    with Store(site.env["SAFERHUB_STORE"], read_only=True) as store:
        return Evidence(store).assess(area="Northbrook", period="2023")["categories"][0]["count"]


def test_a_lead_posts_an_update_to_their_action(site, browser, accounts):
    """The demo practitioner leads two actions of the demo plan: they open one from "Actions I
    lead", post an Amber update, and see it at the top of the updates; then a coordinator sees
    the same RAG in the plan and the board report, and every plan page passes axe-core."""
    looker = Looker("lead's update")
    page = new_page(browser)
    accounts.sign_in(page, "practitioner@demo.saferhub.invalid")
    page.click("text=Actions I lead")
    looker.look(page, "mine")
    assert page.locator("#my-actions tbody tr").count() == 2
    page.click("#my-actions tbody tr:first-child a")
    looker.look(page, "action")
    action_url = page.url
    page.check("input[value=Amber]")
    page.fill("#id_text", "Recruitment paused while the budget is agreed")
    page.click("#update-form button[type=submit]")
    page.wait_for_selector("text=Update posted")
    looker.look(page, "action, update posted")
    first_row = page.inner_text("#updates tbody tr:first-child")
    page.click("text=Sign out")
    page.wait_for_url("**/accounts/sign-in/**")

    accounts.sign_in(page, "coordinator@demo.saferhub.invalid")
    page.goto(action_url)
    coordinator_view = page.inner_text("#updates tbody tr:first-child")
    page.click("text=Back")
    looker.look(page, "plan")
    page.click("text=Plan health check")
    looker.look(page, "health")
    page.context.close()
    assert "Recruitment paused while the budget is agreed" in first_row
    assert "Amber" in first_row and "Demo practitioner" in first_row
    assert coordinator_view == first_row
    assert not looker.problems, looker.report()


def test_indicators_dashboard_entry_and_extract_errors(site, browser, accounts, tmp_path):
    """A new analyst-level admin reads the demo indicators, corrects an entered value through
    the form and sees it on the indicator's page, and is shown row-level problems for a bad
    youth justice extract; every indicator page passes axe-core."""
    base, looker = site.base, Looker("indicators")
    email = "kpi-admin@example.invalid"
    subprocess.run(
        [sys.executable, "-m", "saferhub.cli", "init", "--noinput"],
        env={**site.env, "SAFERHUB_ADMIN_EMAIL": email, "SAFERHUB_ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
    )
    bad = tmp_path / "extract.csv"
    bad.write_text(
        "Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date\n"
        "YJ-1,2010-01-01,M,White,Youth Caution,2025-05-01,2025-04-01\n"
        "YJ-2,2010-01-01,F,Asian,Telling off,2025-05-01,2025-04-01\n"
    )
    page = new_page(browser)
    accounts.sign_in(page, email)
    page.click("text=Indicators and targets")
    looker.look(page, "dashboard")
    rows = page.locator("#indicators tbody tr")
    assert rows.count() == 9
    dashboard = page.inner_text("#indicators")
    reoffending = rows.filter(has_text="Proven reoffending").inner_text()
    # The Refresh button's form lines up with the group's links (display: contents): it sends.
    page.click("text=Refresh evidence indicators")
    page.wait_for_selector(r"text=/Refreshed \d+ evidence indicators/")
    page.click("text=New IDVA cases supported")
    page.click("text=Enter a value")
    period = page.locator("#id_period option").first.inner_text()
    page.fill("#id_value", "75")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Recorded IDVA-CASES")
    looker.look(page, "indicator, value recorded")
    latest_row = page.inner_text("#values tbody tr:first-child")
    page.goto(f"{base}/indicators/youth-justice/")
    page.set_input_files("#id_extract", str(bad))
    page.click("main button[type=submit]")
    page.wait_for_selector("#extract-problems")
    looker.look(page, "youth justice extract problems")
    extract_problems = page.inner_text("#extract-problems")
    page.context.close()
    assert "Northbrook" not in dashboard and "Residential burglary" in dashboard
    # The latest reoffending cohorts are still in follow-up: the dashboard shows a final one.
    assert "%" in reoffending and "Provisional" not in reoffending
    assert latest_row.startswith(period.split(" (")[0]) and "75" in latest_row
    assert "row 3" in extract_problems and "Telling off" in extract_problems
    assert not looker.problems, looker.report()
