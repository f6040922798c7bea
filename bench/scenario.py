"""What `make bench` measures on the generated city (see bench/run.py)."""

import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from contracts.models import GroupSession, SessionGroup
from demo.loadgen.base import LOAD_PREFIX
from demo.loadgen.generate import pick_bench_family
from families.models import Family
from reporting.models import Participation, ReportRun
from reporting.selectors.indicator_cache import indicator_data_changed
from reporting.selectors.indicators import project_indicators
from reporting.services.reports import report_request
from reporting.tasks import render_after_commit
from support_network.models import Project

ROOT = Path(__file__).resolve().parent.parent
BACKEND = "support_network.backends.StaffBackend"


def period(project) -> tuple[dt.date, dt.date]:
    """The indicators' period: from the project's start to today (the load's dates are relative to
    the day it was generated)."""
    return project.start_date, min(project.end_date, timezone.localdate())


def bench_group(partner: str) -> SessionGroup:
    """The partner's group a runner opens most: the largest with sessions already held."""
    today = timezone.localdate()
    return (
        SessionGroup.objects.filter(institution__staff__user__username=partner)
        .annotate(people=Count("enrolments", distinct=True),
                  held=Count("sessions", filter=Q(sessions__held_on__lte=today), distinct=True))
        .filter(held__gt=0)
        .order_by("-people", "-held", "pk")
        .first()
    )  # fmt: skip


def bench_participation(project) -> Participation:
    """The participant page the manager opens: a record with the most supports (from referrals
    and by hand) and outcome proposals."""
    return (
        Participation.objects.filter(project=project)
        .annotate(n=Count("supports", distinct=True) + Count("outcome_proposals", distinct=True))
        .order_by("-n", "pk")
        .first()
    )


def _client(username):
    """A client logged in as `username` with the second factor passed (an authenticator app of the
    user's, created once), as a user's browser is after the verification page."""
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user, backend=BACKEND)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _queries(client, path) -> int:
    client.get(path)  # warm caches (membership, templates) as a running server has them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(ctx.captured_queries)


CHANGED_FIRST = {"indicator_page_miss", "indicator_recount"}  # the project's data change before each request


def targets() -> dict:
    family_ids = list(Family.objects.filter(case_number__startswith=LOAD_PREFIX).values_list("pk", flat=True))
    family = Family.objects.select_related("social_worker").get(pk=pick_bench_family(family_ids))
    worker = family.social_worker.username
    project = Project.objects.get(agreement_number=f"{LOAD_PREFIX}-POWR.09.01.00-0000/18")
    clients = {name: _client(name) for name in (worker, "load.partner", "load.coordinator", "load.manager")}
    start, end = period(project)
    indicators = f"/raporty/projekty/{project.pk}/wskazniki/?from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"
    recount = indicators.replace("/wskazniki/", "/wskazniki/aktualne/")
    group = bench_group("load.partner")
    session = group.sessions.filter(held_on__lte=timezone.localdate()).order_by("-held_on").first()
    participation = bench_participation(project)
    pages = [
        ("trivial", worker, "/bench/trivial"),
        ("bare_list", worker, "/bench/list?page=7"),
        ("caseload", worker, "/rodziny/"),
        ("caseload_coordinator", "load.coordinator", "/rodziny/"),
        ("caseload_manager", "load.manager", "/rodziny/"),
        ("family_page", worker, f"/rodziny/{family.pk}/"),
        ("family_page_history", "load.coordinator", f"/rodziny/{family.pk}/"),  # with the change history
        ("catalogue", worker, "/siec/katalog/"),
        ("catalogue_search", worker, "/siec/katalog/?q=poradnictwo"),
        ("referrals_sent", worker, "/umowy/skierowania/"),
        ("referral_inbox", "load.partner", "/umowy/skierowania/skrzynka/"),
        ("referral_inbox_last", "load.partner", "/umowy/skierowania/skrzynka/?strona=99999"),
        ("coordinator_queue", "load.coordinator", "/umowy/programy/kolejka/"),
        ("participant_list", "load.manager", f"/raporty/projekty/{project.pk}/uczestnicy/"),
        ("participant_page", "load.manager", f"/raporty/uczestnicy/{participation.pk}/"),  # supports, proposals
        ("outcome_queue", "load.manager", "/raporty/rezultaty-do-potwierdzenia/"),
        ("group_page", "load.partner", f"/umowy/grupy/{group.pk}/"),
        ("session_attendance", "load.partner", f"/umowy/grupy/zajecia/{session.pk}/"),
        ("indicator_page", "load.manager", indicators),
        ("indicator_page_miss", "load.manager", indicators),  # in-process only: the data changed first
        ("indicator_recount", "load.manager", recount),  # the same, counted before answering (htmx's swap)
    ]  # fmt: skip
    return {
        "project": project,
        "pages": [
            {
                "name": name,
                "path": path,
                "client": clients[user],
                "user": user,
                "cookie": clients[user].cookies["sessionid"].value,
                "queries": _queries(clients[user], path),
                "before": (lambda: indicator_data_changed(project.pk)) if name in CHANGED_FIRST else None,
            }
            for name, user, path in pages
        ],  # fmt: skip
        "caseload_families": Family.objects.filter(social_worker=family.social_worker).count(),
        "family_visits": family.visits.count(),
        "group_enrolments": group.enrolments.count(),
        "group_sessions": GroupSession.objects.filter(group=group).count(),
        "participant_supports": participation.supports.count(),
    }


def _timed(page, n: int) -> list[float]:
    """`n` requests of the page through the test client (in this process), in milliseconds."""
    times = []
    for _ in range(n):
        if page["before"]:
            page["before"]()
        started = time.perf_counter()
        response = page["client"].get(page["path"])
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{page['path']} answered {response.status_code}")
    return times


def interleaved(targets: dict, *, rounds: int, n: int) -> dict[str, dict]:
    """In-process timings: in every round each page right after the bare list (n requests each), so
    both meet the same machine load; the ratio of the round is page median / bare-list median."""
    pages = {page["name"]: page for page in targets["pages"]}
    clients = {page["user"]: _client(page["user"]) for page in pages.values()}  # fresh sessions after wrk
    for page in pages.values():
        page["client"] = clients[page["user"]]
    baseline = pages["bare_list"]
    stats: dict[str, dict] = {name: {"samples": [], "ratios": []} for name in pages}
    for _ in range(rounds):
        for name, page in pages.items():
            base = _timed(baseline, n)
            own = base if name == "bare_list" else _timed(page, n)
            stats[name]["samples"] += own
            stats[name]["ratios"].append(statistics.median(own) / statistics.median(base))
    return stats


def in_process(targets: dict) -> list[dict]:
    project = targets["project"]
    results = [
        {"name": "caseload.families_of_worker", "value": targets["caseload_families"], "unit": "families"},
        {"name": "family_page.visits", "value": targets["family_visits"], "unit": "visits"},
        {"name": "group_page.enrolments", "value": targets["group_enrolments"], "unit": "participants"},
        {"name": "group_page.sessions", "value": targets["group_sessions"], "unit": "sessions"},
        {"name": "participant_page.supports", "value": targets["participant_supports"], "unit": "supports"},
        {"name": "participations.main_project", "value": Participation.objects.filter(project=project).count(),
         "unit": "participations"},
    ]  # fmt: skip
    start, end = period(project)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        project_indicators(project, date_from=start, date_to=end)
        timings.append(time.perf_counter() - started)
    results.append({"name": "indicators.compute", "value": round(statistics.median(timings) * 1000, 1), "unit": "ms"})
    results.append(_pdf_through_worker(project))
    results += _xlsx_export(project)
    return results


def _pdf_through_worker(project) -> dict:
    ReportRun.objects.filter(project=project).delete()
    manager = get_user_model().objects.get(username="load.manager")
    started = time.perf_counter()
    start, end = period(project)
    run, _ = report_request(project=project, date_from=start, date_to=end, by=manager)
    render_after_commit(run.pk)
    deadline = time.time() + 300
    while time.time() < deadline:
        run.refresh_from_db()
        if run.status in ("done", "failed"):
            break
        time.sleep(0.1)
    if run.status != "done":
        raise RuntimeError(f"report run {run.pk} ended {run.status}: {run.error}")
    return {"name": "indicator_pdf.end_to_end", "value": round(time.perf_counter() - started, 2), "unit": "s"}


def _xlsx_export(project) -> list[dict]:
    out = ROOT / "var" / "bench" / "participants.xlsx"
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    cmd = [sys.executable, "-c", wrapper, sys.executable, "manage.py", "export_participants", "--project",
           project.agreement_number, "--format", "xlsx", "-o", str(out)]  # fmt: skip
    seconds, max_rss_kb = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()[-2:]
    return [
        {"name": "participant_xlsx_export.time", "value": round(float(seconds), 2), "unit": "s"},
        {"name": "participant_xlsx_export.peak_memory", "value": int(max_rss_kb) // 1024, "unit": "MB"},
        {"name": "participant_xlsx_export.size", "value": round(out.stat().st_size / 1e6, 1), "unit": "MB"},
    ]
