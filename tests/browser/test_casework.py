"""Casework in Chromium against the real demo site: creating a person, finding a duplicate
before creating one, opening a case (and downloading its document), and another agency's
practitioner requesting access to a locked subject's case, which the lead agency grants; each
page on the way passes axe-core, keeps to a 375 px screen and draws nothing the CSP refuses."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest

from tests.casework.browser_pages import PAGES as CASEWORK_PAGES

from .conftest import choose_password
from .harness import Looker, needs_browser
from .pages import DPO, ROLES, Page

pytestmark = needs_browser

HOUSING = "Demo Housing Association (fictional)"
OUTSIDER_EMAIL = "housing.practitioner@demo.saferhub.invalid"
OUTSIDER_TEMPORARY = "a temporary passphrase for the housing officer"
OUTSIDER_OWN = "heron meadow copper ninety-one"


@pytest.fixture(scope="session")
def casework(site) -> dict[str, int]:
    """The demo's casework ids (saferhub.casework.demo.samples), read in the site's
    environment."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, os, django;"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferhub.web.settings');"
            "django.setup();"
            "from saferhub.casework.demo import samples; print(json.dumps(samples()))",
        ],
        env=site.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def submit(page, selector: str = "main form button[type=submit]") -> None:
    """Click and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def test_creating_a_person(signed_in, site):
    looker, page = Looker("casework: create a person"), signed_in("practitioner")
    page.goto(f"{site.base}/")
    submit(page, "#navigation >> text=Casework")
    looker.look(page, "casework")
    submit(page, "#add-links >> text=Add a person")
    looker.look(page, "add a person")
    page.fill("#id_given_names", "Harper")
    page.fill("#id_family_name", "Browsertestson")
    page.fill("#id_date_of_birth", "1984-02-29")
    page.fill("#id_address_line_1", "7 Larch Row (fictional)")
    page.fill("#id_address_postcode", "nb1 9zz")
    submit(page, "#check")
    assert re.search(r"/casework/subjects/\d+/$", page.url), page.inner_text("main")
    assert page.inner_text("h1") == "Harper Browsertestson"
    details = page.inner_text("#details")
    assert "29 February 1984" in details
    assert "NB1 9ZZ" in page.inner_text("#addresses")
    looker.look(page, "the new person")
    assert not looker.problems, looker.report()


def test_finding_a_duplicate_before_creating_one(signed_in, site, casework):
    looker, page = Looker("casework: a duplicate"), signed_in("practitioner")
    page.goto(f"{site.base}/casework/search/?q=Demoford")
    found = page.locator("#results > li").count()
    assert found >= 2  # the police's record, its misspelt twin (and probation's own, locked)
    page.goto(f"{site.base}/casework/subjects/new/person/")
    page.fill("#id_given_names", "Jordan")
    page.fill("#id_family_name", "Demoford")
    page.fill("#id_date_of_birth", "1998-05-14")
    submit(page, "#check")
    assert page.url.endswith("/casework/subjects/new/person/"), "created without a check"
    similar = page.inner_text("#similar-records")
    assert "Jordan Demoford" in similar and "Strong match" in similar
    assert "Jordon Demforde" in similar and "same date of birth" in similar
    looker.look(page, "similar records")
    with page.expect_navigation():
        page.locator("#similar-records li").first.locator("text=Use this record").click()
    assert page.inner_text("h1") == "Jordan Demoford"
    assert "Violent to staff" in page.inner_text("#flags")
    # The links, as a list and as a picture of the same links.
    listed = page.inner_text("#links")
    assert "Member of" in listed and "Locked person" in listed and "FK24 DMO" in listed
    assert page.locator("#network img").get_attribute("src").startswith("data:image/svg+xml")
    looker.look(page, "the existing person")
    page.goto(f"{site.base}/casework/search/?q=Demoford")
    assert page.locator("#results > li").count() == found  # nothing new was created
    assert not looker.problems, looker.report()


def test_opening_a_case(signed_in, site, casework):
    looker, page = Looker("casework: open a case"), signed_in("practitioner")
    page.goto(f"{site.base}/casework/")
    submit(page, "main a[href='/casework/cases/'] >> text=All my cases")
    looker.look(page, "my cases")
    submit(page, "#cases >> text=ASB-")
    assert page.url == f"{site.base}/casework/cases/{casework['cw_case_led']}/"
    assert page.inner_text("h1") == "Noise and intimidation at Larkspur Court (fictional)"
    assert "Casey Samplewood" in page.inner_text("#subjects")
    assert "Sensitive" in page.inner_text("#chronology")
    tasks = page.inner_text("#task-list")
    assert "Overdue" in tasks and "Serve the Community Protection Warning" in tasks
    assert "Demo Borough Council (fictional)" in page.inner_text("#grants")
    looker.look(page, "the case")
    link = page.locator("#documents a").first
    download = page.context.request.get(link.evaluate("a => a.href"))
    assert download.status == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.body().startswith(b"date,what\n")
    # A case led by another agency and not shared: the styled 403.
    response = page.goto(f"{site.base}/casework/cases/{casework['cw_case_locked']}/")
    assert response.status == 403 and page.inner_text("h1") == "You cannot open this page"
    assert not looker.problems, looker.report()


def add_user(admin, base: str, *, name, email, agency, role, password, dpo=False) -> None:
    """The admin adds a user with a temporary password, through the "Add a user" form."""
    admin.goto(f"{base}/accounts/users/add/")
    admin.fill("#id_full_name", name)
    admin.fill("#id_email", email)
    admin.select_option("#id_agency", label=agency)
    admin.select_option("#id_role", value=role)
    if dpo:
        admin.check("#id_is_data_protection_officer")
    admin.fill("#id_password", password)
    submit(admin)
    assert admin.url == f"{base}/accounts/users/", admin.inner_text("main")


def add_outsider(admin, base: str) -> None:
    """A housing association practitioner."""
    add_user(
        admin,
        base,
        name="Demo housing practitioner",
        email=OUTSIDER_EMAIL,
        agency=HOUSING,
        role="practitioner",
        password=OUTSIDER_TEMPORARY,
    )


@pytest.fixture(scope="session")
def casework_dpo(signed_in, site):
    """A data protection officer of casework's own (a board member of the council), so the
    DPO that tests/browser/test_pages.py adds, watching each sign-in step, is still theirs
    to add whichever test runs first."""
    email = "casework-dpo@demo.saferhub.invalid"
    add_user(
        signed_in("admin"),
        site.base,
        name="Demo casework DPO",
        email=email,
        agency="Demo Borough Council (fictional)",
        role="board",
        password="a temporary passphrase for the casework DPO",
        dpo=True,
    )
    page = signed_in.sign_in(email, "a temporary passphrase for the casework DPO")
    choose_password(page, "lantern quarry silver sixty-two")
    yield page
    page.context.close()


def test_requesting_and_granting_access(signed_in, site, casework):
    looker = Looker("casework: request and grant access")
    add_outsider(signed_in("admin"), site.base)
    outsider = signed_in.sign_in(OUTSIDER_EMAIL, OUTSIDER_TEMPORARY)
    choose_password(outsider, OUTSIDER_OWN)
    case_url = f"{site.base}/casework/cases/{casework['cw_case_led']}/"
    assert outsider.goto(case_url).status == 403

    outsider.goto(f"{site.base}/casework/search/?q=Samplewood")
    result = outsider.locator("#results > li").first
    assert "Locked" in result.inner_text() and "Born" not in result.inner_text()
    assert "Anti-social behaviour case led by Demo Police (fictional)" in result.inner_text()
    looker.look(outsider, "locked search result")
    result.locator("summary >> text=Request access").click()
    result.locator("textarea").fill(
        "Ms Samplewood is our tenant: we are planning a joint visit and need the history"
    )
    with outsider.expect_navigation():
        result.locator("text=Send the request").click()
    assert "Access requested from Demo Police (fictional)" in outsider.inner_text("main")
    looker.look(outsider, "locked subject, access requested")

    lead = signed_in("practitioner")
    lead.goto(f"{site.base}/casework/access-requests/")
    looker.look(lead, "access requests")
    row = lead.locator("#waiting tr", has_text="Demo housing practitioner")
    with lead.expect_navigation():
        row.locator("text=Decide").click()
    looker.look(lead, "decide a request")
    lead.check("#id_decision_0")
    lead.fill("#id_decision_reason", "Agreed for the joint visit")
    lead.check("input[name=scope][value=whole]")
    lead.select_option("#id_agreement", index=1)
    lead.fill("#id_purpose", "Joint visit with the housing association")
    lead.fill("#id_expires_on", (date.today() + timedelta(days=30)).isoformat())
    submit(lead)
    assert lead.url == f"{site.base}/casework/access-requests/", lead.inner_text("main")
    assert "Request approved" in lead.inner_text("main")

    response = outsider.goto(case_url)
    assert response.status == 200
    assert outsider.inner_text("h1") == "Noise and intimidation at Larkspur Court (fictional)"
    assert "Joint visit with the housing association" in outsider.inner_text("#shared-notice")
    looker.look(outsider, "the case, shared")
    outsider.goto(f"{site.base}/")
    assert "was approved" in outsider.inner_text("#home-casework")
    outsider.context.close()
    assert not looker.problems, looker.report()


@pytest.mark.parametrize("role", ROLES)
def test_every_casework_page_as_every_role(signed_in, site, casework, casework_dpo, role):
    """Each casework page of tests/casework/browser_pages.py, with the demo's records: the
    roles that may open it get it (passing axe-core at 1280 and fitting 375 px), the others
    the styled 403."""
    page = casework_dpo if role == DPO else signed_in(role)
    looker, wrong = Looker(f"casework pages: {role}"), []
    for p in (Page(**entry) for entry in CASEWORK_PAGES):
        response = page.goto(site.base + p.path(casework))
        if role in p.roles:
            if response.status != 200 or page.locator("h1").count() != 1:
                wrong.append(f"{p.label}: {response.status}")
                continue
            looker.look(page, p.label)
        elif response.status != 403 or page.inner_text("h1") != "You cannot open this page":
            wrong.append(f"{p.label}: {response.status}, expected the 403 page")
    assert not wrong, f"{role}: {wrong}"
    assert not looker.problems, looker.report()
