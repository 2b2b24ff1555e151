"""The browser tests' machinery: the real site (`saferhub demo` + `saferhub serve` on a fresh
SQLite database), signing in with a real second factor, and looking at a page the way the
tests do: axe-core, a 375 px wide screen, and screenshots when SAFERHUB_SCREENSHOTS is set."""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 812}
# SAFERHUB_SCREENSHOTS=folder: every page looked at is saved there at both widths.
SCREENSHOTS = os.environ.get("SAFERHUB_SCREENSHOTS", "").strip()
DEMO_DOMAIN = "@demo.saferhub.invalid"


def available() -> bool:
    return Path(CHROMIUM).exists() and AXE.exists()


needs_browser = pytest.mark.skipif(
    not available(),
    reason="needs /usr/bin/chromium and npm's axe-core (scripts/setup.sh --test installs both)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Site:
    base: str
    env: dict
    folder: Path
    demo_emails: list[str]  # as `saferhub demo` printed them

    @property
    def mail(self) -> Path:
        """Where a demo site's password-reset mail goes (web.settings: VAR / demo-mail)."""
        return self.folder / "demo-mail"


def demo_emails(printed: str) -> list[str]:
    """The sign-in addresses from `saferhub demo`'s "Sign in as any of: …" line."""
    line = next(x for x in printed.splitlines() if x.startswith("Sign in as any of:"))
    return [e.strip() for e in line.split(":", 1)[1].split(",")]


@contextmanager
def running_site(folder: Path) -> Iterator[Site]:
    env = {
        **os.environ,
        "SAFERHUB_STORE": str(folder / "evidence.duckdb"),
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "SAFERHUB_SECRET_KEY": "browser-test-only",
        "SAFERHUB_DEMO_PASSWORD": PASSWORD,
        "SAFERHUB_DATA": str(folder / "no-published-data"),
    }
    env.pop("SAFERHUB_DEBUG", None)  # the site as deployed: DEBUG off, the styled error pages
    cli = [sys.executable, "-m", "saferhub.cli"]
    demo = subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True, text=True)
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/sign-in/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield Site(base, env, folder, demo_emails(demo.stdout))
    finally:
        server.terminate()
        server.wait(10)


def totp(secret: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(base64.b32decode(secret)).token():06d}"


def new_page(browser):
    """A page in a context of its own (its own cookies, so its own session). The site's CSP
    stays on, as users have it: axe-core comes in as an init script, which the CSP does not
    block, and any inline style or script the CSP refuses is reported by `Looker.look`."""
    context = browser.new_context(viewport=WIDE, locale="en-GB", timezone_id="Europe/London")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page


@dataclass
class Accounts:
    """The second factors the tests have learnt: a user enrols an app at their first sign-in
    (the page shows the key) and is shown 10 recovery codes, which the tests keep; any later
    sign-in, in another context, uses one of those codes, so no code is ever reused and no
    test waits for the next 30-second TOTP step."""

    base: str
    recovery: dict[str, list[str]] = field(default_factory=dict)

    def sign_in(self, page, email: str, password: str = PASSWORD, look=None) -> None:
        """Password, then the second factor; `look(page, label)` sees each step's page."""
        look = look or (lambda page, label: None)
        page.goto(f"{self.base}/accounts/sign-in/")
        look(page, "sign-in")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert "/accounts/two-factor/" in page.url, f"{email}: {page.url}"
        if codes := self.recovery.get(email):
            look(page, "two-factor code")
            page.click("text=I cannot use my authenticator app")
            page.fill("#id_recovery_code", codes.pop())
            with page.expect_navigation():
                page.click("text=Sign in with a recovery code")
        else:
            look(page, "two-factor enrolment")
            assert page.locator("#totp-qr svg").is_visible()
            page.fill("#id_token", totp(page.inner_text("#totp-secret")))
            page.click("main form button[type=submit]")
            page.wait_for_selector("#recovery-codes")
            look(page, "recovery codes")
            self.recovery[email] = [
                c.replace(" ", "") for c in page.locator("#recovery-codes code").all_inner_texts()
            ]
            assert len(self.recovery[email]) == 10
            with page.expect_navigation():
                page.click("#recovery-codes-continue")
        assert "/accounts/two-factor/" not in page.url, f"{email} not signed in: {page.url}"


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} at ` +
              v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""

# At 375 px: is the page wider than the screen, and which elements stick out (not counting
# those inside a box that scrolls or clips them, such as .app-table-wrapper)?
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const clipped = el => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map(c => "." + c).join("");
  const out = [...document.body.querySelectorAll("*")].filter(el => {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || clipped(el)) return false;
    return el.parentElement.getBoundingClientRect().right <= width + 1;
  });
  return [`page is ${document.documentElement.scrollWidth} px wide at ${width} px: ` +
          (out.map(name).slice(0, 5).join(", ") || "no single element")];
}"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Looker:
    """Looks at pages and keeps what it finds, by page: axe-core's serious and critical
    violations, the CSP's refusals, and a page wider than a 375 px screen; and saves each page
    at 1280 and 375 px when SAFERHUB_SCREENSHOTS names a folder.

    `known` maps (page label, start of a problem) to why it is let through for now: a problem
    in a file the browser tests' owner may not change, reported to its owner. It is warned
    about, not failed on, and `gone` lists any that no longer happen, so the list cannot go
    stale."""

    who: str
    known: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    looked: list[str] = field(default_factory=list)
    excused: set[tuple[str, str]] = field(default_factory=set)

    def look(self, page, label: str) -> None:
        found = list(page.evaluate(AXE_RUN))
        found += [f"CSP refused: {text}" for text in page.csp_errors]
        page.csp_errors.clear()
        shots = Path(SCREENSHOTS) / slug(self.who) if SCREENSHOTS else None
        if shots:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=shots / f"{slug(label)}-1280.png", full_page=True)
        page.set_viewport_size(NARROW)
        try:
            found += page.evaluate(TOO_WIDE)
            if shots:
                page.screenshot(path=shots / f"{slug(label)}-375.png", full_page=True)
        finally:
            page.set_viewport_size(WIDE)
        self.looked.append(label)
        for problem in list(found):
            for key, why in self.known.items():
                if key[0] == label and problem.startswith(key[1]):
                    warnings.warn(f"{self.who}: {label}: {problem} (known: {why})", stacklevel=2)
                    self.excused.add(key)
                    found.remove(problem)
                    break
        if found:
            self.problems[f"{self.who}: {label} {page.url}"] = found

    @property
    def gone(self) -> list[tuple[str, str]]:
        """Known problems on pages looked at that did not happen: take them off the list."""
        return [k for k in self.known if k[0] in self.looked and k not in self.excused]

    def report(self) -> str:
        return "\n".join(
            f"{where}\n" + "\n".join(f"    {p}" for p in found)
            for where, found in self.problems.items()
        )
