"""The dependency lock and the vulnerability gate of scripts/test.sh."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts/audit_dependencies.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_a_known_vulnerability_fails_the_run():
    report = {  # pip-audit's JSON report format
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.1"], "aliases": []}],
            },
            {"name": "duckdb", "version": "2.0.1", "vulns": []},
        ]
    }
    code, lines = audit.verdict(report)
    assert code == 1 and lines == ["VULNERABLE: django 5.2.0: PYSEC-0000-1 (fixed in 5.2.1)"]


def test_no_data_is_said_plainly_and_a_clean_audit_passes():
    skipped = {"name": "django", "version": "5.2.0", "skip_reason": "Dependency not found"}
    code, lines = audit.verdict({"dependencies": [skipped]})
    assert code == 0 and "not audited here" in lines[0]
    clean = {"name": "duckdb", "version": "2.0.1", "vulns": []}
    code, lines = audit.verdict({"dependencies": [clean, skipped]})
    assert code == 0 and lines == [
        "pip-audit: 1 packages audited, no known vulnerabilities (1 could not be audited)"
    ]


def test_every_dependency_is_locked_with_hashes():
    """Each requirement of pyproject.toml (and the test extra) is pinned in the test lock,
    and every pin carries at least one sha256: setup installs nothing unchecked."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    lock = (ROOT / "requirements/test.txt").read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock, re.MULTILINE))
    normal = {name.lower().replace("_", "-"): version for name, version in pins.items()}
    for requirement in wanted:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower().replace("_", "-")
        assert name in normal, f"{name} is in pyproject.toml but not in requirements/test.txt"
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock)
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)
