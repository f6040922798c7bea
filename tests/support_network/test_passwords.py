"""Finding 12: weak passwords are refused (strength with Polish dictionaries, personal data,
breached-password list shipped in the repo)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from support_network.models import Role
from tests.support_network.factories import PASSWORD, InstitutionFactory, staff_user


def refused(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaaaa", "Password123!", "qwertyuiopasdf", "iloveyou1234", "Wrocławiu2025", "Katarzyna1985!"],
)
def test_weak_passwords_of_the_finding_are_refused(password):
    assert refused(password)


@pytest.mark.parametrize("password", ["kot-pije-mleko-w-krakowie", "Zx7#qLm2vR9!pT", "Testowe-haslo-123!"])
def test_strong_passwords_pass(password):
    assert refused(password) == []


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Zielony-jkowalczyk-77", "Hanna-Kowalczyk-Rower", "Turek!Wiosna-Rower77"])
def test_a_password_with_the_login_name_or_institution_is_refused(password):
    institution = InstitutionFactory(name="Miejski Ośrodek Pomocy Społecznej w Turku", short_name="MOPS Turek")
    user = staff_user(Role.SOCIAL_WORKER, institution, username="jkowalczyk", first_name="Hanna", last_name="Kowalczyk")
    assert "password_contains_personal_data" in refused(password, user)


def test_the_breached_list_is_shipped_in_the_repo_and_used():
    from django.conf import settings

    common = next(v for v in settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("CommonPasswordValidator"))
    path = common["OPTIONS"]["password_list_path"]
    assert path.exists() and str(path).startswith(str(settings.BASE_DIR))
    assert "password_too_common" in refused("newproject2004")  # in the shipped list, not in Django's own


@pytest.mark.django_db
def test_the_password_change_form_refuses_a_weak_password(login, social_worker):
    response = login(social_worker).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Password123!", "new_password2": "Password123!"},
    )
    assert response.status_code == 200
    assert "zbyt łatwe do odgadnięcia" in response.content.decode()
