"""Issue 11, finding 10: no answer that can carry personal data may be kept by a browser or a
proxy cache. Walked over every URL of the access matrix, as a role allowed to see it, GET and
POST, plain and as an htmx partial; plus the answers that never reach a view."""

import pytest
from django.conf import settings

from tests.access_world import ANONYMOUS, world_fixture
from tests.test_access_matrix import active_table, request, url_for

world = world_fixture()

# who asks for each URL: the most privileged reader first, so the page shows the most data
PREFERENCE = ("manager", "social_worker", "coordinator", "auditor", "partner", "administrator", "mgi_member")


def _reader(roles) -> str | None:
    for role in PREFERENCE:
        if role in roles:
            return role
    return next((role for role in sorted(roles) if role != ANONYMOUS), None)


def _cases():
    for name, row in sorted(active_table().items()):
        for method, roles in (("GET", row.get), ("POST", row.post)):
            if role := _reader(roles):
                yield pytest.param(name, role, method, id=f"{name}-{method}")


def assert_not_stored(response, where):
    value = response.get("Cache-Control", "")
    directives = {part.strip().split("=")[0] for part in value.split(",")}
    assert {"no-store", "private"} <= directives, f"{where}: Cache-Control is {value!r}"
    assert "public" not in directives, f"{where}: Cache-Control is {value!r}"


@pytest.mark.parametrize(("name", "role", "method"), list(_cases()))
def test_every_page_forbids_caching(world, db, client, name, role, method):
    row = active_table()[name]
    url = url_for(world, name, row)
    client.force_login(world.users[role], backend="support_network.backends.StaffBackend")
    response = request(client, method, url)
    assert_not_stored(response, f"{method} {url} as {role} -> {response.status_code}")
    if method == "GET":
        partial = client.get(url, HTTP_HX_REQUEST="true")
        assert_not_stored(partial, f"htmx GET {url} as {role} -> {partial.status_code}")


@pytest.mark.django_db
def test_refusals_and_redirects_forbid_caching_too(client):
    assert_not_stored(client.get("/rodziny/"), "anonymous redirect to login")
    assert_not_stored(client.get("/nie-ma-takiej-strony/"), "404")
    assert_not_stored(client.get("/konto/logowanie/"), "login page")


def test_static_files_keep_their_caching(rf):
    from django.http import HttpResponse

    from core.middleware import ResponseHeadersMiddleware

    def served(request):
        response = HttpResponse("body{}")
        response["Cache-Control"] = "max-age=31536000, public, immutable"
        return response

    response = ResponseHeadersMiddleware(served)(rf.get(f"{settings.STATIC_URL}vendor/bootstrap.css"))
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
