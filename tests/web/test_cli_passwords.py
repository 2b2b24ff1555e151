"""`saferhub init --noinput` and `saferhub demo` apply the site's password rules (issue 12)."""

import os
import subprocess
import sys

import pytest


def run(folder, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "saferhub.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")},
            "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
            "SAFERHUB_SECRET_KEY": "cli-test-only",
            "SAFERHUB_STORE": str(folder / "evidence.duckdb"),
            **env,
        },
    )


@pytest.mark.parametrize("password", ["password1234", "aaaaaaaaaaaa", "tiny9X"])
def test_init_refuses_a_weak_admin_password(tmp_path, password):
    result = run(
        tmp_path,
        "init",
        "--noinput",
        SAFERHUB_ADMIN_EMAIL="admin@eastmere.example",
        SAFERHUB_ADMIN_PASSWORD=password,
    )
    assert result.returncode == 2
    assert "error:" in result.stderr and password not in result.stderr + result.stdout
    assert "created admin" not in result.stdout


def test_init_takes_a_good_password(tmp_path):
    result = run(
        tmp_path,
        "init",
        "--noinput",
        SAFERHUB_ADMIN_EMAIL="Admin@Eastmere.example",
        SAFERHUB_ADMIN_PASSWORD="a long enough password",
    )
    assert result.returncode == 0, result.stderr
    assert "created admin admin@eastmere.example" in result.stdout


def test_demo_refuses_a_weak_demo_password(tmp_path):
    result = run(tmp_path, "demo", SAFERHUB_DEMO_PASSWORD="password1234")
    assert result.returncode == 2 and "the password is refused" in result.stderr
