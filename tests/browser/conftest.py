"""One demo site, one Chromium and one signed-in page per role for the whole browser session:
the demo takes most of the time, so every browser test shares it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .harness import (
    CHROMIUM,
    DEMO_DOMAIN,
    FLAGS,
    PASSWORD,
    ROOT,
    Accounts,
    new_page,
    running_site,
)
from .pages import DPO

# The data protection officer the tests add through the admin's form (the demo has none).
DPO_EMAIL = f"dpo{DEMO_DOMAIN}"
DPO_NAME = "Demo data protection officer"
DPO_TEMPORARY = "a temporary passphrase the admin chose"
DPO_OWN = "kestrel harbour lantern forty-eight"


def email_for(role: str) -> str:
    return f"{role}{DEMO_DOMAIN}"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    with running_site(tmp_path_factory.mktemp("site")) as running:
        yield running


@pytest.fixture(scope="session")
def facts(site) -> dict:
    """The demo's sample ids (and its 500 page), read in the site's own environment."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "browser" / "samples.py")],
        env=site.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def samples(facts) -> dict[str, int]:
    return facts["samples"]


@pytest.fixture(scope="session")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def accounts(site) -> Accounts:
    return Accounts(site.base)


def add_user(admin, base: str, *, name: str, email: str, role: str, dpo: bool, password: str):
    """The admin's "Add a user" form, as an admin fills it in."""
    admin.goto(f"{base}/accounts/users/add/")
    admin.fill("#id_full_name", name)
    admin.fill("#id_email", email)
    admin.select_option("#id_agency", index=1)
    admin.select_option("#id_role", value=role)
    if dpo:
        admin.check("#id_is_data_protection_officer")
    admin.fill("#id_password", password)
    with admin.expect_navigation():
        admin.click("main button[type=submit]")
    assert admin.url == f"{base}/accounts/users/", admin.inner_text("main")


def choose_password(page, password: str) -> None:
    page.fill("#id_new_password1", password)
    page.fill("#id_new_password2", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


class SignedIn:
    """One page per role, signed in once and re-used by every test that needs that role."""

    def __init__(self, browser, site, accounts):
        self.browser, self.site, self.accounts = browser, site, accounts
        self.pages = {}

    def __call__(self, role: str):
        if role not in self.pages:
            self.pages[role] = self.new_dpo() if role == DPO else self.sign_in(email_for(role))
        return self.pages[role]

    def sign_in(self, email: str, password: str = PASSWORD, look=None):
        page = new_page(self.browser)
        self.accounts.sign_in(page, email, password, look=look)
        return page

    def new_dpo(self, look=None):
        """The admin adds a board member who is the data protection officer, with a temporary
        password; they sign in, enrol, and choose their own password."""
        add_user(
            self("admin"),
            self.site.base,
            name=DPO_NAME,
            email=DPO_EMAIL,
            role="board",
            dpo=True,
            password=DPO_TEMPORARY,
        )
        page = self.sign_in(DPO_EMAIL, DPO_TEMPORARY, look=look)
        assert page.url.startswith(f"{self.site.base}/accounts/new-password/"), page.url
        if look:
            look(page, "new password")
        choose_password(page, DPO_OWN)
        assert page.url == f"{self.site.base}/", page.inner_text("main")
        self.pages[DPO] = page
        return page

    def close(self):
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="session")
def signed_in(browser, site, accounts):
    pages = SignedIn(browser, site, accounts)
    yield pages
    pages.close()
