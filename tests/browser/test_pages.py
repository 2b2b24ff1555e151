"""Every page of the site, as every role the demo has (and a data protection officer the admin
adds), in Chromium against the real site: each page a role may open passes axe-core (no
serious or critical violation), keeps to a 375 px screen and draws nothing the CSP refuses;
each page it may not open is the site's 403 page; no link in the service navigation or on the
home page leads to a 403 or 404; and the signed-out, sign-in and error pages pass the same
checks. Set SAFERHUB_SCREENSHOTS=folder to keep every page at 1280 and 375 px."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import DPO_EMAIL, DPO_OWN, email_for
from .harness import PASSWORD, Looker, needs_browser, new_page
from .pages import (
    DPO,
    FLOWS,
    KNOWN,
    NOT_PAGES,
    NOT_VISITED,
    PAGES,
    ROLES,
    SIGNED_OUT,
    covered,
    url_names,
)

FORBIDDEN = "You cannot open this page"


def test_every_url_is_covered():
    """A named URL the browser tests do not open, and do not list as not a page, fails here:
    add it to tests/browser/pages.py."""
    names = url_names()
    assert not names - covered(), f"not visited by the browser tests: {sorted(names - covered())}"
    assert not covered() - names, f"listed but no longer a URL: {sorted(covered() - names)}"
    assert all(why.strip() for why in [*NOT_PAGES.values(), *FLOWS.values(), *NOT_VISITED.values()])
    others = [SIGNED_OUT, set(FLOWS), set(NOT_PAGES), set(NOT_VISITED), {p.name for p in PAGES}]
    assert sum(len(names) for names in others) == len(set().union(*others)), "listed twice"


@needs_browser
def test_the_demo_users_are_the_roles_tested(site):
    assert sorted(site.demo_emails) == sorted(email_for(r) for r in ROLES if r != DPO)


def has_errors(page) -> bool:
    """GOV.UK's error summary, and a title that starts "Error:" (read first by a screen
    reader)."""
    return page.locator(".govuk-error-summary").count() == 1 and page.title().startswith("Error: ")


def h1(page) -> str:
    return page.inner_text("h1").strip() if page.locator("h1").count() == 1 else ""


@needs_browser
def test_signed_out_pages(browser, site, samples):
    """Sign-in, the password reset pages (through the link a demo site writes to its mail
    folder), the lockout page, 404 and the CSRF page; and no page opens before sign-in."""
    base, looker, wrong = site.base, Looker("signed out"), []
    page = new_page(browser)

    page.goto(f"{base}/accounts/sign-in/")
    looker.look(page, "sign-in")
    with page.expect_navigation():
        page.click("main button[type=submit]")  # sent empty
    if not has_errors(page):
        wrong.append(f"sign-in sent empty: {page.title()!r}, no error summary")
    looker.look(page, "sign-in sent empty")

    for p in PAGES:  # every page sends a signed-out visitor to sign in, before any content
        response = page.context.request.get(base + p.path(samples), max_redirects=0)
        where = response.headers.get("location", "")
        if response.status != 302 or not where.startswith("/accounts/sign-in/"):
            wrong.append(f"{p.label} signed out: {response.status} to {where!r}")
    response = page.goto(f"{base}/no-such-page/")
    if response.status != 404 or h1(page) != "Page not found":
        wrong.append(f"404 signed out: {response.status} {h1(page)!r}")
    looker.look(page, "404")

    page.goto(f"{base}/accounts/password-reset/")
    looker.look(page, "password reset")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if not has_errors(page):
        wrong.append(f"password reset sent empty: {page.title()!r}, no error summary")
    looker.look(page, "password reset sent empty")
    page.fill("#id_email", email_for("board"))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == f"{base}/accounts/password-reset/sent/"
    looker.look(page, "password reset sent")
    mail = max(site.mail.glob("*"), key=lambda f: f.stat().st_mtime).read_text()
    link = re.search(rf"{re.escape(base)}/accounts/password-reset/\S+/\S+/", mail).group(0)
    page.goto(link)
    assert page.locator("#id_new_password1").count() == 1, page.inner_text("main")
    looker.look(page, "password reset, choose a password")
    page.goto(link.replace(link.rsplit("/", 2)[1], "not-a-valid-token"))
    assert h1(page) == "This reset link does not work"
    assert page.locator("main form").count() == 0
    looker.look(page, "password reset, a link that does not work")
    page.goto(f"{base}/accounts/password-reset/done/")
    looker.look(page, "password reset done")

    # Five wrong passwords for one address lock it (django-axes): the lockout page.
    for attempt in range(6):
        page.goto(f"{base}/accounts/sign-in/")
        page.fill("#id_username", f"nobody-{site.folder.name}@demo.saferhub.invalid")
        page.fill("#id_password", "not the password")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        if h1(page) == "Too many attempts":
            break
        if attempt == 0:
            if not has_errors(page):
                wrong.append(f"a wrong password: {page.title()!r}, no error summary")
            looker.look(page, "sign-in, a wrong password")
    assert h1(page) == "Too many attempts"
    looker.look(page, "locked")

    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", email_for("board"))
    page.fill("#id_password", PASSWORD)
    page.locator("main input[name=csrfmiddlewaretoken]").evaluate("input => input.remove()")
    with page.expect_navigation() as sent:
        page.click("main button[type=submit]")
    if sent.value.status != 403 or h1(page) != "The form could not be sent":
        wrong.append(f"CSRF signed out: {sent.value.status} {h1(page)!r}")
    looker.look(page, "csrf")
    page.context.close()
    assert not wrong, wrong
    assert not looker.problems, looker.report()


@needs_browser
def test_signing_in_pages(signed_in, site):
    """The admin adds a data protection officer with a temporary password: at their first
    sign-in they enrol an app, see their recovery codes and choose their own password; at the
    next they enter a code (here a recovery code)."""
    if DPO in signed_in.pages:
        pytest.skip("the data protection officer was added by an earlier test")
    looker = Looker("signing in")
    page = signed_in.new_dpo(look=looker.look)
    assert "Audit" in page.locator("#navigation").inner_text()
    again = signed_in.sign_in(DPO_EMAIL, DPO_OWN, look=looker.look)
    assert again.url == f"{site.base}/"
    again.context.close()
    assert looker.looked == [
        "sign-in",
        "two-factor enrolment",
        "recovery codes",
        "new password",
        "sign-in",
        "two-factor code",
    ]
    assert not looker.problems, looker.report()


@needs_browser
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_its_pages(signed_in, site, samples, role):
    """Every page: the role's own pass axe-core; the others are the styled 403 page (which is
    looked at once)."""
    page, looker, wrong = signed_in(role), Looker(role, KNOWN), []
    forbidden_seen = False
    for p in PAGES:
        response = page.goto(site.base + p.path(samples))
        if role in p.roles:
            if response.status != 200 or page.locator("h1").count() != 1:
                wrong.append(f"{p.label}: {response.status}, {page.locator('h1').count()} h1")
                continue
            looker.look(page, p.label)
        elif response.status != 403 or h1(page) != FORBIDDEN:
            wrong.append(f"{p.label}: {response.status} {h1(page)!r}, expected the 403 page")
        elif not forbidden_seen:
            assert page.locator("#back-home").get_attribute("href") == "/"
            looker.look(page, "403")
            forbidden_seen = True
    assert not wrong, f"{role}: {wrong}"
    assert not looker.problems, looker.report()
    assert not looker.gone, f"fixed: take these off pages.KNOWN: {looker.gone}"


def same_site_links(page, base: str) -> list[str]:
    """Every link on the page to this site, without fragments, in page order."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    seen = []
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        if urlsplit(url).netloc == urlsplit(base).netloc and url not in seen:
            seen.append(url)
    return seen


@needs_browser
@pytest.mark.parametrize("role", ROLES)
def test_navigation_and_home_page_links_open(signed_in, site, role):
    """Each section in the role's service navigation opens, marked as the current one; no
    link on the role's home page gives a 403, a 404 or a server error."""
    page, broken = signed_in(role), []
    page.goto(f"{site.base}/")
    sections = page.eval_on_selector_all(
        ".govuk-service-navigation a",
        "links => links.map(a => [a.textContent.trim(), a.href])",
    )
    assert sections and sections[0][0] == "Home"
    for label, href in sections:
        response = page.goto(href)
        current = page.locator(".govuk-service-navigation a[aria-current]")
        if response.status != 200 or current.count() != 1 or current.inner_text() != label:
            broken.append(f"navigation {label} {href}: {response.status}")
    page.goto(f"{site.base}/")
    links = same_site_links(page, site.base)
    assert len(links) > len(sections)
    for url in links:
        status = page.context.request.get(url).status
        if status in (403, 404) or status >= 500:
            broken.append(f"home page link {url}: {status}")
    assert not broken, f"{role}: {broken}"


@needs_browser
def test_error_pages_signed_in(signed_in, browser, site, facts):
    """404 for an unknown address, the CSRF page for a form sent without its token (and
    nothing saved), and the 500 page as the site's handler renders it."""
    from saferhub.web.middleware import CSP

    base, looker, wrong = site.base, Looker("errors"), []
    page = signed_in("admin")
    response = page.goto(f"{base}/accounts/no-such-page/")
    if response.status != 404 or h1(page) != "Page not found":
        wrong.append(f"404: {response.status} {h1(page)!r}")
    looker.look(page, "404")

    page.goto(f"{base}/accounts/agencies/add/")
    page.fill("#id_name", "Agency sent without its token (fictional)")
    page.locator("main input[name=csrfmiddlewaretoken]").evaluate("input => input.remove()")
    with page.expect_navigation() as sent:
        page.click("main button[type=submit]")
    if sent.value.status != 403 or h1(page) != "The form could not be sent":
        wrong.append(f"CSRF: {sent.value.status} {h1(page)!r}")
    looker.look(page, "csrf")
    page.goto(f"{base}/accounts/agencies/")
    assert "sent without its token" not in page.inner_text("main")

    # The real handler's page, served at the site's address so its styles load as they would.
    error = new_page(browser)
    error.route(
        f"{base}/server-error/",
        lambda route: route.fulfill(
            status=500,
            body=facts["server_error"],
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": CSP},
        ),
    )
    error.goto(f"{base}/server-error/")
    assert h1(error) == "Sorry, there is a problem with the service"
    assert re.fullmatch(r"[0-9A-F]{8}", error.inner_text("#error-reference"))
    looker.look(error, "500")
    error.context.close()
    assert not wrong, wrong
    assert not looker.problems, looker.report()


@needs_browser
def test_a_report_is_made_as_a_job(signed_in, site):
    """The analyst asks for the assessment report: a job's page shows its progress (looked at
    as first served, before its script moves it on), then offers the file; the file downloads;
    the job is on their list; to anyone else the job's page does not exist."""
    looker = Looker("report job", KNOWN)
    page = signed_in("analyst")
    page.route("**/static/jobs/progress.js", lambda route: route.abort())
    page.goto(f"{site.base}/evidence/report.html?area=Northbrook&period=2023")
    job_url = page.url
    assert re.fullmatch(rf"{re.escape(site.base)}/jobs/[0-9a-f-]{{36}}/", job_url), job_url
    if page.locator("#job-done").count() == 0:
        looker.look(page, "job in progress")
    page.unroute("**/static/jobs/progress.js")
    page.reload()
    page.wait_for_selector("#job-done", timeout=120_000)
    looker.look(page, "job done")
    download = page.context.request.get(page.locator("#job-download").evaluate("a => a.href"))
    assert download.status == 200
    assert download.headers["content-disposition"].startswith("attachment")
    page.goto(f"{site.base}/jobs/")
    assert page.locator(f'a[href="{urlsplit(job_url).path}"]').count() == 1
    other = signed_in("coordinator").goto(job_url)
    assert other.status == 404
    assert not looker.problems, looker.report()


# Forms that start empty, sent empty: each must answer with GOV.UK's error summary and a
# title starting "Error:", and pass the same checks. Nothing is saved.
EMPTY_FORMS = [
    "/accounts/agencies/add/",
    "/accounts/users/add/",
    "/plans/import/",
    "/indicators/new/",
    "/indicators/youth-justice/",
]


@needs_browser
def test_forms_sent_empty_show_their_errors(signed_in, site, samples):
    looker, wrong = Looker("form errors", KNOWN), []
    page = signed_in("admin")
    paths = [
        *EMPTY_FORMS,
        f"/plans/objectives/{samples['objective']}/add-action/",
        f"/plans/objectives/{samples['objective']}/add-measure/",
        f"/indicators/{samples['indicator_manual']}/values/",
    ]
    for path in paths:
        page.goto(site.base + path)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if not has_errors(page):
            wrong.append(f"{path}: title {page.title()!r}, no error summary")
            continue
        looker.look(page, path)
    assert not wrong, wrong
    assert not looker.problems, looker.report()
