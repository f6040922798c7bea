"""`make audit`: dependency vulnerabilities (pip-audit) and high-severity code findings (bandit).

pip-audit asks PyPI's JSON API for each installed version's known vulnerabilities. A package
it cannot look up is "skipped", and pip-audit still says "No known vulnerabilities found" and
exits 0 — on a machine whose package mirror does not serve that API, that is every package,
and the green result means nothing. So this prints how many packages were really audited and
how many could not be, and never reports the unaudited ones as clean.

Exit status: 1 when pip-audit finds a vulnerability in an audited package, when bandit finds an
issue of high severity, or (AUDIT_STRICT=1, for a machine that reaches the vulnerability data)
when any package could not be audited; 0 otherwise.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CODE = ["config", "support_network", "families", "contracts", "reporting"]


def pip_audit() -> tuple[int, list[str]]:
    """Returns (exit status, report lines)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pip-audit.json"
        result = subprocess.run(  # noqa: S603 - fixed arguments, the venv's own pip-audit
            [str(BIN / "pip-audit"), "--progress-spinner", "off", "--skip-editable", "--format", "json",
             "-o", str(out)],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        if not out.exists():
            return 1, ["pip-audit: did not run", result.stdout.strip(), result.stderr.strip()[-2000:]]
        report = json.loads(out.read_text())
    return summarise_pip_audit(report, strict=os.environ.get("AUDIT_STRICT") == "1")


def summarise_pip_audit(report: dict, *, strict: bool = False) -> tuple[int, list[str]]:
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d and "editable" not in d["skip_reason"]]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines = [f"pip-audit: {len(audited)} packages audited, {len(skipped)} could not be audited, "
             f"{len(vulnerable)} with known vulnerabilities"]  # fmt: skip
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            lines.append(f"  VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes})")
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        lines.append(f"  NOT AUDITED ({len(skipped)}): " + ", ".join(sorted(d["name"] for d in skipped)))
        lines.append(f"  why: {'; '.join(reasons)}. The package index this machine uses does not serve the")
        lines.append("  vulnerability data pip-audit needs; these packages are NOT known to be safe. Run `make audit`")
        lines.append("  on a machine that reaches pypi.org (AUDIT_STRICT=1 makes a skipped package an error).")
    status = 1 if vulnerable or (skipped and strict) else 0
    return status, lines


def bandit() -> tuple[int, list[str]]:
    result = subprocess.run(  # noqa: S603 - fixed arguments, the venv's own bandit
        [str(BIN / "bandit"), "-q", "-r", *CODE, "-x", "*/migrations/*", "--severity-level", "high",
         "--confidence-level", "medium", "-f", "json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return 1, ["bandit: did not run", result.stderr.strip()[-2000:]]
    return summarise_bandit(report)


def summarise_bandit(report: dict) -> tuple[int, list[str]]:
    issues = report.get("results", [])
    scanned = report.get("metrics", {}).get("_totals", {}).get("loc", 0)
    lines = [f"bandit: {scanned} lines scanned, {len(issues)} issues of high severity"]
    lines.extend(f"  {i['filename']}:{i['line_number']} {i['test_id']} {i['issue_text']}" for i in issues)
    return (1 if issues or report.get("errors") else 0), lines


def main() -> int:
    status = 0
    for check in (pip_audit, bandit):
        code, lines = check()
        print("\n".join(line for line in lines if line))
        status |= code
    print("audit: " + ("FAILED" if status else "passed (read the counts above: unaudited packages are not clean)"))
    return status


if __name__ == "__main__":
    sys.exit(main())
