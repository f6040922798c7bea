"""Whatever a person types: a clear message or a saved row, never a 500 and nothing half-saved."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.models import ContractAmendment, SocialContract
from tests.contracts.factories import make_contract
from tests.contracts.test_views import contract_post_data

pytestmark = pytest.mark.django_db

texts = st.one_of(
    st.text(max_size=60),
    st.text(min_size=5001, max_size=5200),
    st.just("\x00zero"),
    st.just("Zażółć gęślą jaźń „cytat”"),
)
dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(["2024-02-30", "31.12.2024", "", "9999-99-99", "jutro"]),
)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(causes=texts, goal=texts, period_end=dates, deadline=dates, number=texts)
def test_contract_form_never_fails_with_a_500(
    family, head, social_worker, client, causes, goal, period_end, deadline, number
):
    client.force_login(social_worker, backend="support_network.backends.StaffBackend")
    before = SocialContract.objects.count()
    data = contract_post_data(
        family,
        head,
        causes=causes,
        period_end=period_end,
        number=number[:50],
        **{"goals-0-text": goal, "actions-0-deadline": deadline},
    )
    response = client.post(reverse("contracts:contract_create") + f"?family={family.pk}", data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert SocialContract.objects.count() == before
    else:
        contract = SocialContract.objects.order_by("-pk").first()
        assert contract.goals.count() == 1 and contract.actions.count() == 1
        contract.covered_members.clear()
        contract.events.all().delete()
        contract.delete()


@FUZZ
@given(content=texts, reason=texts, amended_on=dates, new_end=dates)
def test_amendment_form_never_fails_with_a_500(
    family, head, social_worker, client, content, reason, amended_on, new_end
):
    contract = SocialContract.objects.filter(status="active").first() or make_contract(
        family=family, person=head, worker=social_worker, signed=True
    )
    client.force_login(social_worker, backend="support_network.backends.StaffBackend")
    before = ContractAmendment.objects.count()
    response = client.post(
        reverse("contracts:contract_amend", args=[contract.pk]),
        {"amended_on": amended_on, "content": content, "reason": reason, "new_period_end": new_end},
    )
    assert response.status_code in (200, 302, 400, 409)
    if response.status_code != 302:
        assert ContractAmendment.objects.count() == before
