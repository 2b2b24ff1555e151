"""Benchmark: authenticated page views against `saferhub serve` on loopback.

Sets up a fresh demo site (SQLite, synthetic evidence unless --data is given), creates one
user per client with a confirmed authenticator, signs each in with password and TOTP code,
then drives page views (home, and an assessment page) with N concurrent clients for D seconds.
Prints requests per second, p50/p95/p99 latency and the error count.

    .venv/bin/python bench/bench_web.py [--clients 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PASSWORD = "benchmark password only"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser-like session: keeps its cookies and one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
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
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, text

    def sign_in(self, email: str, secret: bytes) -> None:
        from django_otp.oath import TOTP

        _, page = self.request("GET", "/accounts/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "POST",
            "/accounts/sign-in/",
            {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD},
        )
        assert status == 302, f"sign-in failed for {email}: {status}"
        _, page = self.request("GET", "/accounts/two-factor/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        code = f"{TOTP(secret).token():06d}"
        status, _ = self.request(
            "POST", "/accounts/two-factor/", {"csrfmiddlewaretoken": token, "token": code}
        )
        assert status == 302, f"two-factor failed for {email}: {status}"


def make_users(env: dict, count: int) -> list[tuple[str, bytes]]:
    """Bench users with confirmed devices, created through the site's own models."""
    code = f"""
import django, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'saferhub.web.settings'
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from saferhub.accounts.models import Agency, User
agency = Agency.objects.first()
for i in range({count}):
    email = f'bench{{i}}@bench.saferhub.invalid'
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, {PASSWORD!r}, full_name=f'Bench {{i}}', agency=agency, role='analyst')
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name='bench', confirmed=True)
    print(email, device.key)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout
    return [(line.split()[0], bytes.fromhex(line.split()[1])) for line in out.splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--data",
        default=None,
        help="published data folder (default: none, synthetic demo evidence)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "SAFERHUB_STORE": f"{tmp}/evidence.duckdb",
            "DATABASE_URL": f"sqlite:///{tmp}/site.sqlite3",
            "SAFERHUB_SECRET_KEY": "bench-only",
            "SAFERHUB_DEMO_PASSWORD": PASSWORD,
            "SAFERHUB_DATA": args.data or f"{tmp}/none",
        }
        cli = [sys.executable, "-m", "saferhub.cli"]
        subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)
        users = make_users(env, args.clients)
        port = free_port()
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port), "--workers", str(args.workers)],
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
            clients = []
            os.environ["DJANGO_SETTINGS_MODULE"] = "saferhub.web.settings"
            for email, secret in users:
                client = Client(port)
                client.sign_in(email, secret)
                clients.append(client)
            area = "Northbrook" if not args.data else "Harrow"
            pages = ["/", f"/evidence/?area={area}&period=latest"]
            latencies: list[float] = []
            errors = [0]
            stop = time.perf_counter() + args.seconds
            lock = threading.Lock()

            def run(client: Client, offset: int) -> None:
                mine, n = [], offset
                while time.perf_counter() < stop:
                    start = time.perf_counter()
                    try:
                        status, _ = client.request("GET", pages[n % len(pages)])
                        ok = status == 200
                    except OSError:
                        ok = False
                        client.conn.close()
                    mine.append(time.perf_counter() - start)
                    if not ok:
                        with lock:
                            errors[0] += 1
                    n += 1
                with lock:
                    latencies.extend(mine)

            threads = [threading.Thread(target=run, args=(c, i)) for i, c in enumerate(clients)]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(10)
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{args.clients} clients, {elapsed:.0f} s, gunicorn {args.workers} workers x 4 "
        f"threads, SQLite; pages: home and an assessment, alternating"
    )
    print(f"requests {len(latencies)}  rps {len(latencies) / elapsed:.1f}  errors {errors[0]}")
    print(f"latency ms  p50 {q[49] * 1000:.0f}  p95 {q[94] * 1000:.0f}  p99 {q[98] * 1000:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
