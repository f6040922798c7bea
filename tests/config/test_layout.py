"""docker-compose.yml and the Procfile start the same processes (no Docker engine here to run it)."""

import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {name: shlex.split(cmd) for name, cmd in (line.split(":", 1) for line in lines if line.strip())}


def test_compose_has_the_real_stack_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")


def test_compose_runs_the_procfile_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    processes = procfile()
    for name in ("worker", "beat"):
        assert compose["services"][name]["command"] == processes[name]
    # web binds to all interfaces inside the container, to loopback on a developer machine
    web = compose["services"]["web"]["command"]
    assert web[:2] == processes["web"][:2]
