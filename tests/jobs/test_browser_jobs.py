"""The report as a job on the real site: `saferhub demo` + `saferhub serve` (gunicorn and the
job worker it starts), in Debian's Chromium. Ask for a PDF on the evidence page, watch the
progress page move without reloading, download the file from the done page; both pages pass
axe-core; stopping `serve` stops its worker."""

from __future__ import annotations

import base64
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo password for the jobs browser test"
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


def children(pid: int) -> list[tuple[int, str]]:
    """The processes whose parent is `pid`, with their command lines (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append((int(entry.name), command))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    """Not here: the site runs on the real clock, so the codes typed into it must too."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jobs-site")
    env = {
        **os.environ,
        "SAFERHUB_STORE": str(folder / "evidence.duckdb"),  # the site database beside it
        "SAFERHUB_SECRET_KEY": "jobs-browser-test-only",
        "SAFERHUB_DEMO_PASSWORD": PASSWORD,
        "SAFERHUB_DATA": str(folder / "no-published-data"),
    }
    env.pop("DATABASE_URL", None)
    env.pop("SAFERHUB_REDIS_URL", None)
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
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/accounts/sign-in/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield base, server, folder
    if server.poll() is None:
        server.terminate()
        server.wait(60)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run()")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page, base: str, email: str) -> None:
    from django_otp.oath import TOTP

    page.goto(f"{base}/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    secret = page.inner_text("#totp-secret")
    page.fill("#id_token", f"{TOTP(base64.b32decode(secret)).token():06d}")
    page.click("main button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    page.click("#recovery-codes-continue")
    page.wait_for_url(f"{base}/")


def test_a_pdf_report_is_made_in_the_background_and_offered(site):
    # In its own thread: the browser tests' session-wide Playwright keeps an asyncio loop
    # running in this one, and Playwright's sync API refuses to start inside a running loop.
    failed: list[BaseException] = []

    def run() -> None:
        try:
            _pdf_report(site)
        except BaseException as exc:  # re-raised in the test's thread below
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def _pdf_report(site):
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    base, server, _ = site
    workers = [c for _, c in children(server.pid) if "jobs_worker" in c]
    assert len(workers) == 1, children(server.pid)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        # axe-core is injected as a script: past the CSP in this context only; the page's
        # own script runs under the CSP in the second context below.
        page = browser.new_context(bypass_csp=True, accept_downloads=True).new_page()
        sign_in(page, base, "analyst@demo.saferhub.invalid")
        page.goto(f"{base}/evidence/?area=Northbrook&period=2023")
        page.click("#downloads a:has-text('PDF')")
        page.wait_for_url(f"{base}/jobs/*/")
        job_url = page.url
        assert page.locator("#job-progress").count() == 1
        problems = {"progress": axe_violations(page)}
        # The page's script moves the bar without reloading, then reloads once it is done.
        page.wait_for_selector("#job-done", timeout=180_000)
        problems["done"] = axe_violations(page)
        with page.expect_download() as download:
            page.click("#job-download")
        pdf = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename == "strategic-assessment-northbrook-2023.pdf"
        assert "Northbrook" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

        # Another user is told nothing of it; the CSP-bound page raises no script error.
        other = browser.new_context().new_page()
        errors: list[str] = []
        other.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        sign_in(other, base, "board@demo.saferhub.invalid")
        response = other.goto(job_url)
        assert response.status == 404
        other.goto(f"{base}/evidence/?area=Northbrook&period=2022")
        other.click("#downloads a:has-text('HTML')")
        other.wait_for_selector("#job-done", timeout=180_000)
        assert [e for e in errors if "Content Security Policy" in e] == []
        browser.close()
    assert problems == {"progress": [], "done": []}


def test_stopping_serve_stops_its_worker(site):
    _, server, _ = site
    worker = next(pid for pid, c in children(server.pid) if "jobs_worker" in c)
    server.send_signal(signal.SIGTERM)
    assert server.wait(60) == 0
    deadline = time.monotonic() + 30
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(worker)
