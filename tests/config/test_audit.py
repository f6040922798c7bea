"""`make audit` never reports packages it could not look up as clean, and fails on findings."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

SKIPPED = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2)"}
CLEAN = {"name": "redis", "version": "8.1.0", "vulns": []}
VULNERABLE = {"name": "pillow", "version": "9.0.0",
              "vulns": [{"id": "PYSEC-2023-1", "fix_versions": ["9.3.0"], "description": "..."}]}  # fmt: skip
EDITABLE = {"name": "efs-case", "skip_reason": "distribution marked as editable"}


def test_packages_that_could_not_be_looked_up_are_counted_and_named_not_called_clean():
    status, lines = audit.summarise_pip_audit({"dependencies": [SKIPPED, CLEAN, EDITABLE]})
    assert status == 0
    assert lines[0] == "pip-audit: 1 packages audited, 1 could not be audited, 0 with known vulnerabilities"
    assert any("NOT AUDITED (1): django" in line for line in lines)
    assert not any("efs-case" in line for line in lines)


def test_strict_mode_fails_when_anything_could_not_be_audited():
    assert audit.summarise_pip_audit({"dependencies": [SKIPPED, CLEAN]}, strict=True)[0] == 1
    assert audit.summarise_pip_audit({"dependencies": [CLEAN]}, strict=True)[0] == 0


def test_a_known_vulnerability_fails_the_audit():
    status, lines = audit.summarise_pip_audit({"dependencies": [VULNERABLE, CLEAN]})
    assert status == 1
    assert "  VULNERABLE pillow 9.0.0: PYSEC-2023-1 (fixed in: 9.3.0)" in lines


def test_bandit_fails_on_a_high_severity_issue_and_passes_without():
    issue = {"filename": "config/x.py", "line_number": 3, "test_id": "B602", "issue_text": "shell=True"}
    report = {"results": [issue], "metrics": {"_totals": {"loc": 10}}, "errors": []}
    status, lines = audit.summarise_bandit(report)
    assert status == 1 and "  config/x.py:3 B602 shell=True" in lines
    assert audit.summarise_bandit({"results": [], "metrics": {"_totals": {"loc": 10}}, "errors": []})[0] == 0


def test_bandit_finds_no_high_severity_issue_in_the_code():
    status, lines = audit.bandit()
    assert status == 0, lines
