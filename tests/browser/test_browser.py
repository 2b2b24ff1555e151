"""The real site in a real browser: `saferhub demo` + `saferhub serve` (gunicorn) on a fresh
SQLite database, driven by Playwright in the system Chromium. Sign in with a real TOTP code,
browse an assessment, check accessibility with axe-core, sign out."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo password for the browser test"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or not AXE.exists(),
    reason="needs /usr/bin/chromium and npm's axe-core (scripts/setup.sh --test installs both)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "SAFERHUB_STORE": str(folder / "evidence.duckdb"),
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "SAFERHUB_SECRET_KEY": "browser-test-only",
        "SAFERHUB_DEMO_PASSWORD": PASSWORD,
        "SAFERHUB_DATA": str(folder / "no-published-data"),
    }
    cli = [sys.executable, "-m", "saferhub.cli"]
    subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/accounts/sign-in/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield base, env
    server.terminate()
    server.wait(10)


def totp(secret: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(base64.b32decode(secret)).token():06d}"


def sign_in(page, base: str, email: str) -> None:
    """Password, then the enrolment page's key turned into a live TOTP code, then on past the
    recovery codes shown once after it."""
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_token", totp(page.inner_text("#totp-secret")))
    page.click("main button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    page.click("#recovery-codes-continue")
    page.wait_for_url(f"{base}/")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run()")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_sign_in_browse_an_assessment_and_sign_out(site):
    from playwright.sync_api import sync_playwright

    base, _ = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        # axe-core is injected as a script: let it past the site's CSP in this test only.
        page = browser.new_context(bypass_csp=True).new_page()
        problems = {}
        page.goto(f"{base}/")
        assert page.url.startswith(f"{base}/accounts/sign-in/")
        problems["sign-in"] = axe_violations(page)
        page.fill("#id_username", "analyst@demo.saferhub.invalid")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/accounts/two-factor/**")
        problems["enrol"] = axe_violations(page)
        assert page.locator("#totp-qr svg").is_visible()
        page.fill("#id_token", totp(page.inner_text("#totp-secret")))
        page.click("main button[type=submit]")
        page.wait_for_selector("#recovery-codes")
        assert page.locator("#recovery-codes li").count() == 10
        problems["recovery-codes"] = axe_violations(page)
        page.click("#recovery-codes-continue")
        page.wait_for_url(f"{base}/")
        problems["home"] = axe_violations(page)
        page.click("text=Strategic assessment")
        page.fill("#id_area", "Northbrook")
        page.fill("#id_period", "2023")
        page.fill("#id_compare", "Eastmere,Westford")
        page.click("main button[type=submit]")
        page.wait_for_selector("#categories")
        problems["assessment"] = axe_violations(page)
        total = page.inner_text("#categories tbody tr:first-child td:first-of-type")
        heading = page.inner_text("main h2")
        page.click("text=Sign out")
        page.wait_for_url("**/accounts/sign-in/**")
        assert page.goto(f"{base}/evidence/").url.startswith(f"{base}/accounts/sign-in/")
        browser.close()
    assert heading == "Northbrook: 2023"
    assert total == str(expected_total(site))
    assert problems == {k: [] for k in problems}, json.dumps(problems)


def test_admin_pages_are_accessible(site):
    from playwright.sync_api import sync_playwright

    base, _ = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"{base}/accounts/sign-in/")
        sign_in(page, base, "admin@demo.saferhub.invalid")
        problems = {}
        for path in ("/accounts/agencies/", "/accounts/users/", "/accounts/users/add/", "/audit/"):
            page.goto(base + path)
            assert page.locator("h1").count() == 1, path
            problems[path] = axe_violations(page)
        browser.close()
    assert problems == {k: [] for k in problems}, json.dumps(problems)


def expected_total(site) -> int:
    """The same figure straight from the evidence engine."""
    from saferhub.evidence import Evidence, Store

    _, env = site
    with Store(env["SAFERHUB_STORE"], read_only=True) as store:
        return Evidence(store).assess(area="Northbrook", period="2023")["categories"][0]["count"]


def test_a_lead_posts_an_update_to_their_action(site):
    """The demo practitioner leads two actions of the demo plan: they open one from "Actions I
    lead", post an Amber update, and see it at the top of the updates; then a coordinator sees
    the same RAG in the plan and the board report, and every plan page passes axe-core."""
    from playwright.sync_api import sync_playwright

    base, _ = site
    problems = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"{base}/accounts/sign-in/")
        sign_in(page, base, "practitioner@demo.saferhub.invalid")
        page.click("text=Actions I lead")
        problems["mine"] = axe_violations(page)
        assert page.locator("#my-actions tbody tr").count() == 2
        page.click("#my-actions tbody tr:first-child a")
        problems["action"] = axe_violations(page)
        action_url = page.url
        page.check("input[value=Amber]")
        page.fill("#id_text", "Recruitment paused while the budget is agreed")
        page.click("#update-form button[type=submit]")
        page.wait_for_selector("text=Update posted")
        first_row = page.inner_text("#updates tbody tr:first-child")
        page.click("text=Sign out")
        page.wait_for_url("**/accounts/sign-in/**")

        sign_in(page, base, "coordinator@demo.saferhub.invalid")
        page.goto(action_url)
        coordinator_view = page.inner_text("#updates tbody tr:first-child")
        page.click("text=Back")
        problems["plan"] = axe_violations(page)
        page.click("text=Plan health check")
        problems["health"] = axe_violations(page)
        page.goto(f"{base}/plans/import/")
        problems["import"] = axe_violations(page)
        browser.close()
    assert "Recruitment paused while the budget is agreed" in first_row
    assert "Amber" in first_row and "Demo practitioner" in first_row
    assert coordinator_view == first_row
    assert problems == {k: [] for k in problems}, json.dumps(problems)


def test_indicators_dashboard_entry_and_extract_errors(site, tmp_path):
    """A new analyst-level admin reads the demo indicators, corrects an entered value through
    the form and sees it on the indicator's page, and is shown row-level problems for a bad
    youth justice extract; every indicator page passes axe-core."""
    from playwright.sync_api import sync_playwright

    base, env = site
    email = "kpi-admin@example.invalid"
    subprocess.run(
        [sys.executable, "-m", "saferhub.cli", "init", "--noinput"],
        env={**env, "SAFERHUB_ADMIN_EMAIL": email, "SAFERHUB_ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
    )
    bad = tmp_path / "extract.csv"
    bad.write_text(
        "Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date\n"
        "YJ-1,2010-01-01,M,White,Youth Caution,2025-05-01,2025-04-01\n"
        "YJ-2,2010-01-01,F,Asian,Telling off,2025-05-01,2025-04-01\n"
    )
    problems = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"{base}/accounts/sign-in/")
        sign_in(page, base, email)
        page.click("text=Indicators and targets")
        problems["dashboard"] = axe_violations(page)
        rows = page.locator("#indicators tbody tr")
        assert rows.count() == 9
        dashboard = page.inner_text("#indicators")
        reoffending = rows.filter(has_text="Proven reoffending").inner_text()
        page.click("text=New IDVA cases supported")
        problems["indicator"] = axe_violations(page)
        page.click("text=Enter a value")
        problems["entry"] = axe_violations(page)
        period = page.locator("#id_period option").first.inner_text()
        page.fill("#id_value", "75")
        page.click("main button[type=submit]")
        page.wait_for_selector("text=Recorded IDVA-CASES")
        latest_row = page.inner_text("#values tbody tr:first-child")
        page.goto(f"{base}/indicators/youth-justice/")
        problems["import"] = axe_violations(page)
        page.set_input_files("#id_extract", str(bad))
        page.click("main button[type=submit]")
        page.wait_for_selector("#extract-problems")
        extract_problems = page.inner_text("#extract-problems")
        browser.close()
    assert "Northbrook" not in dashboard and "Residential burglary" in dashboard
    # The latest reoffending cohorts are still in follow-up: the dashboard shows a final one.
    assert "%" in reoffending and "Provisional" not in reoffending
    assert latest_row.startswith(period.split(" (")[0]) and "75" in latest_row
    assert "row 3" in extract_problems and "Telling off" in extract_problems
    assert problems == {k: [] for k in problems}, json.dumps(problems)
