"""Known vulnerabilities in the locked dependencies fail the test run (scripts/test.sh).

pip-audit asks the registry for each locked version's advisories. Where the registry does not
answer with them (some mirrors serve no per-version data), nothing could be audited: that is
said plainly and does not fail the run, since it is not a finding.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements" / "test.txt"


def verdict(report: dict) -> tuple[int, list[str]]:
    """The exit code and the lines to print for a pip-audit JSON report."""
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    found = [(d["name"], d["version"], v) for d in audited for v in d.get("vulns", [])]
    if found:
        return 1, [
            f"VULNERABLE: {name} {version}: {vuln['id']} "
            f"(fixed in {', '.join(vuln.get('fix_versions', [])) or 'none yet'})"
            for name, version, vuln in found
        ]
    if not audited:
        return 0, [
            f"pip-audit: the registry gave no vulnerability data for the {len(dependencies)} "
            "locked packages: not audited here"
        ]
    skipped = len(dependencies) - len(audited)
    return 0, [
        f"pip-audit: {len(audited)} packages audited, no known vulnerabilities"
        + (f" ({skipped} could not be audited)" if skipped else "")
    ]


def main() -> int:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("pip-audit")),
            *("-r", str(LOCK), "--require-hashes", "--disable-pip"),
            *("--vulnerability-service", "pypi", "--progress-spinner", "off", "-f", "json"),
        ],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit did not run: {result.stderr.strip()[-500:]}")
        return 1
    code, lines = verdict(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
