"""Benchmark: authenticated page views against `saferhub serve` on loopback, per page.

Sets up a fresh demo site (SQLite, synthetic evidence unless --data is given), creates
--clients users spread over the five roles (admin, analyst, coordinator, practitioner, board;
the practitioners lead the demo practitioner's actions), each with a confirmed authenticator,
and signs each in with password and TOTP code. Every client then cycles through the pages its
role may open: its home page, the evidence page (an assessment), the open plan and the
indicators dashboard. Two modes, one after the other:

- think: each client waits --think seconds (default 1) after each response, as people do;
- flat: no waiting, as fast as the server answers.

For each mode and page it prints views, views/s, client latency p50/p95/p99, errors, and what
the server says a view cost (the Server-Timing header that SAFERHUB_SERVER_TIMING=1 turns on:
Django's wall time, the request thread's CPU time and the database queries, medians); and for
the whole mode the CPU per view of the processes `saferhub serve` runs (from /proc: gunicorn's
master and workers; the jobs worker apart), and the load average, since the load generator
shares the machine.

    .venv/bin/python bench/bench_web.py [--clients 50] [--seconds 60] [--modes think,flat]

--site DIR starts from a copy of a site `saferhub demo` made earlier (its folder: the SQLite
database and evidence store, made with SAFERHUB_DEMO_PASSWORD="benchmark password only",
SAFERHUB_STORE=DIR/evidence.duckdb and DATABASE_URL=sqlite:///DIR/site.sqlite3), instead of
making one (half a minute; and the same site for every run).

Measured 2 December 2026 (issue 13), 50 clients, 30 s a mode, the same demo site copied for
each run, on a shared 2-core machine whose load average was 8 to 11 (other jobs): gunicorn
got only 0.8 to 1.5 cores, so wall-clock figures are inflated; CPU per view is the steadier
figure. Before (213dfdb) and after (the plan page's and home page's plan cached per plan
version and day, indicator values read as rows):

    mode             before            after
    think p50/p95    189 / 556 ms      62 / 325 ms
    server CPU/view  25.2 ms           16.8 ms   (think; flat: 20.1-24.3 → 15.3-15.7 ms)
    flat views/s     41.9, 40.4, 56.5  56.8, 92.9, 83.5 (three runs each; best 56.5 → 92.9)

At about 15.5 ms of server CPU a view, two whole cores would serve about 130 views/s: the
aim of 280 needs about 7 ms a view, below what session, user, two-factor device, audit entry
and the page's own queries cost today.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD = "benchmark password only"
ROLES = ("admin", "analyst", "coordinator", "practitioner", "board")
EVIDENCE_ROLES = {"admin", "analyst", "coordinator", "board"}  # accounts.permissions
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser-like session: keeps its cookies and one keep-alive connection."""

    def __init__(self, port: int, role: str) -> None:
        self.port = port
        self.role = role
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.pages: list[tuple[str, str]] = []  # (label, path)

    def request(
        self, method: str, path: str, form: dict | None = None
    ) -> tuple[int, str, dict[str, float]]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed an idle keep-alive connection: reconnect, as browsers do.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        timing: dict[str, float] = {}
        for header, value in response.getheaders():
            name = header.lower()
            if name == "set-cookie":
                cookie, _, rest = value.partition("=")
                self.cookies[cookie] = rest.split(";")[0]
            elif name == "server-timing":
                timing = server_timing(value)
        return response.status, text, timing

    def sign_in(self, email: str, secret: bytes) -> None:
        from django_otp.oath import TOTP

        _, page, _ = self.request("GET", "/accounts/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _, _ = self.request(
            "POST",
            "/accounts/sign-in/",
            {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD},
        )
        assert status == 302, f"sign-in failed for {email}: {status}"
        _, page, _ = self.request("GET", "/accounts/two-factor/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        code = f"{TOTP(secret).token():06d}"
        status, _, _ = self.request(
            "POST", "/accounts/two-factor/", {"csrfmiddlewaretoken": token, "token": code}
        )
        assert status == 302, f"two-factor failed for {email}: {status}"


def server_timing(header: str) -> dict[str, float]:
    """`app;dur=12.3, cpu;dur=9.1, db;dur=1.2;desc="7"` → {app: 12.3, cpu: 9.1, db: 1.2,
    queries: 7}."""
    found: dict[str, float] = {}
    for metric in header.split(","):
        name, *params = (p.strip() for p in metric.split(";"))
        for param in params:
            key, _, value = param.partition("=")
            if key == "dur":
                found[name] = float(value)
            elif key == "desc" and name == "db":
                found["queries"] = float(value.strip('"'))
    return found


def make_users(env: dict, count: int, roles: tuple[str, ...]) -> list[tuple[str, str, bytes]]:
    """Bench users spread over the roles, with confirmed devices, created through the site's
    own models; each bench practitioner also leads the demo practitioner's actions."""
    code = f"""
import django, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'saferhub.web.settings'
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from saferhub.accounts.models import User
from saferhub.plans.models import Lead
roles = {roles!r}
for i in range({count}):
    role = roles[i % len(roles)]
    demo = User.objects.get(email=f'{{role}}@demo.saferhub.invalid')
    email = f'bench{{i}}@bench.saferhub.invalid'
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, {PASSWORD!r}, full_name=f'Bench {{i}}', agency=demo.agency, role=role)
    if role == 'practitioner':
        for lead in Lead.objects.filter(user=demo):
            Lead.objects.get_or_create(action=lead.action, user=user,
                defaults={{'person': user.full_name, 'agency': user.agency}})
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name='bench', confirmed=True)
    print(role, email, device.key)
from saferhub.plans.models import Strategy
print('plan', Strategy.objects.filter(status='open').first().pk)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    plan = out.pop().split()[1]
    env["BENCH_PLAN"] = plan
    return [(line.split()[0], line.split()[1], bytes.fromhex(line.split()[2])) for line in out]


PAGES = ("home", "evidence", "plan", "indicators")


def pages_for(role: str, area: str, plan: str, only=PAGES) -> list[tuple[str, str]]:
    """The pages a client with `role` cycles through, as (label, path)."""
    pages = [(f"home ({role})", "/")]
    if role in EVIDENCE_ROLES:
        pages.append(("evidence", f"/evidence/?area={area}&period=latest"))
    pages.append(("plan", f"/plans/{plan}/"))
    pages.append(("indicators", "/indicators/"))
    return [(label, path) for label, path in pages if label.split()[0] in only]


def process_cpu(pid: int, cpu: dict[str, float] | None = None) -> dict[str, float]:
    """Seconds of CPU used by `saferhub serve` and every process under it, as {"web": ...,
    "jobs": ...}: the jobs worker's own, and the rest (gunicorn's master and workers, the
    supervisor). A reaped child's time is in its parent's cutime/cstime; the live ones are
    read directly."""
    cpu = cpu if cpu is not None else {"web": 0.0, "jobs": 0.0}
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return cpu
    kind = "jobs" if b"jobs_worker" in command else "web"
    cpu[kind] += sum(int(v) for v in fields[11:13]) / TICKS  # utime stime
    cpu["web"] += sum(int(v) for v in fields[13:15]) / TICKS  # reaped children
    for child in children:
        process_cpu(int(child), cpu)
    return cpu


@dataclass
class Views:
    latencies: list[float] = field(default_factory=list)
    timings: list[dict[str, float]] = field(default_factory=list)
    errors: int = 0


def drive(clients: list[Client], seconds: float, think: float) -> tuple[dict[str, Views], float]:
    """Every client cycles through its pages for `seconds`; → views per page label, elapsed."""
    results: dict[str, Views] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run(client: Client, offset: int) -> None:
        mine: dict[str, Views] = {}
        n = offset
        if think:
            time.sleep(random.uniform(0, think))  # not all in step
        while time.perf_counter() < stop:
            label, path = client.pages[n % len(client.pages)]
            views = mine.setdefault(label, Views())
            start = time.perf_counter()
            timing: dict[str, float] = {}
            try:
                status, _, timing = client.request("GET", path)
                ok = status == 200
            except OSError:
                ok = False
                client.conn.close()
            views.latencies.append(time.perf_counter() - start)
            if timing:
                views.timings.append(timing)
            views.errors += not ok
            n += 1
            if think:
                time.sleep(think)
        with lock:
            for label, views in mine.items():
                total = results.setdefault(label, Views())
                total.latencies += views.latencies
                total.timings += views.timings
                total.errors += views.errors

    threads = [threading.Thread(target=run, args=(c, i)) for i, c in enumerate(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - began


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return v, v, v
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94], q[98]


def median_of(timings: list[dict[str, float]], key: str) -> float:
    values = [t[key] for t in timings if key in t]
    return statistics.median(values) if values else float("nan")


def report(
    mode: str, results: dict[str, Views], elapsed: float, cpu: dict[str, float], client_cpu: float
):
    order = [f"home ({r})" for r in ROLES] + ["evidence", "plan", "indicators"]
    print(
        f"\n{mode}: {elapsed:.0f} s\n"
        f"{'page':<20} {'views':>6} {'views/s':>8} {'p50':>6} {'p95':>6} {'p99':>6} "
        f"{'errors':>6} {'server':>7} {'cpu':>6} {'queries':>7}"
    )
    every = Views()
    for label in [p for p in order if p in results]:
        views = results[label]
        every.latencies += views.latencies
        every.timings += views.timings
        every.errors += views.errors
        p50, p95, p99 = percentiles(views.latencies)
        print(
            f"{label:<20} {len(views.latencies):>6} {len(views.latencies) / elapsed:>8.1f} "
            f"{p50 * 1000:>6.0f} {p95 * 1000:>6.0f} {p99 * 1000:>6.0f} {views.errors:>6} "
            f"{median_of(views.timings, 'app'):>7.1f} {median_of(views.timings, 'cpu'):>6.1f} "
            f"{median_of(views.timings, 'queries'):>7.0f}"
        )
    p50, p95, p99 = percentiles(every.latencies)
    count = len(every.latencies)
    print(
        f"{'all':<20} {count:>6} {count / elapsed:>8.1f} {p50 * 1000:>6.0f} "
        f"{p95 * 1000:>6.0f} {p99 * 1000:>6.0f} {every.errors:>6} "
        f"{median_of(every.timings, 'app'):>7.1f} {median_of(every.timings, 'cpu'):>6.1f} "
        f"{median_of(every.timings, 'queries'):>7.0f}"
    )
    web = cpu["web"] * 1000 / max(count, 1)
    print(
        f"server CPU per view: {web:.1f} ms gunicorn ({cpu['web'] / elapsed * 100:.0f}% of one "
        f"core), jobs worker {cpu['jobs']:.1f} s in all; load generator "
        f"{client_cpu * 1000 / max(count, 1):.1f} ms per view; load average "
        f"{os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="per mode")
    parser.add_argument("--think", type=float, default=1.0, help="think mode's wait, seconds")
    parser.add_argument("--modes", default="think,flat")
    parser.add_argument("--roles", default=",".join(ROLES), help="the clients' roles, in turn")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="of home, evidence, plan, indicators"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="passed to saferhub serve (default: its own)"
    )
    parser.add_argument(
        "--data",
        default=None,
        help="published data folder (default: none, synthetic demo evidence)",
    )
    parser.add_argument(
        "--site",
        default=None,
        help="a demo site's folder to start from a copy of (default: run saferhub demo)",
    )
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    roles = tuple(r.strip() for r in args.roles.split(",") if r.strip() in ROLES)
    only = tuple(p.strip() for p in args.pages.split(",") if p.strip() in PAGES)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "SAFERHUB_STORE": f"{tmp}/evidence.duckdb",
            "DATABASE_URL": f"sqlite:///{tmp}/site.sqlite3",
            "SAFERHUB_SECRET_KEY": "bench-only",
            "SAFERHUB_DEMO_PASSWORD": PASSWORD,
            "SAFERHUB_DATA": args.data or f"{tmp}/none",
            "SAFERHUB_SERVER_TIMING": "1",
        }
        cli = [sys.executable, "-m", "saferhub.cli"]
        if args.site:
            for made in Path(args.site).iterdir():
                if made.is_file():
                    shutil.copy2(made, tmp)
        else:
            subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)
        users = make_users(env, args.clients, roles)
        port = free_port()
        workers = ["--workers", str(args.workers)] if args.workers else []
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port), *workers],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            os.environ["DJANGO_SETTINGS_MODULE"] = "saferhub.web.settings"
            area = "Northbrook" if not args.data else "Harrow"
            clients = []
            for role, email, secret in users:
                client = Client(port, role)
                client.sign_in(email, secret)
                client.pages = pages_for(role, area, env["BENCH_PLAN"], only)
                clients.append(client)
            for client in clients:  # every page once, so no mode pays for a cold start
                for _, path in client.pages:
                    status, _, _ = client.request("GET", path)
                    assert status == 200, f"{path} as {client.role}: {status}"
            evidence = f"data from {args.data}" if args.data else "synthetic evidence"
            print(
                f"{args.clients} clients ({', '.join(roles)} in turn; pages: {', '.join(only)}), "
                f"saferhub serve {' '.join(workers) or '(its default workers)'}, SQLite, "
                f"{evidence}"
            )
            for mode in modes:
                think = args.think if mode == "think" else 0.0
                before, client_cpu = process_cpu(server.pid), time.process_time()
                results, elapsed = drive(clients, args.seconds, think)
                after = process_cpu(server.pid)
                cpu = {kind: after[kind] - before[kind] for kind in after}
                client_cpu = time.process_time() - client_cpu
                label = f"think ({think:g} s between views)" if think else "flat out"
                report(label, results, elapsed, cpu, client_cpu)
        finally:
            server.terminate()
            server.wait(10)
    print(
        "\nlatency: client-side ms; server: Django's ms per view, cpu: the request thread's "
        "CPU ms, queries: per view (medians, from Server-Timing)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
