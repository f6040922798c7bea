"""The group and session pages of partner staff: the group (the session) read by its id with a query
compiled once and checked against the user's institution (contracts.selectors.sessions
.group_of_institution, .session_of_institution) is the one the scoped queryset gave, and another
institution's group (session) is still refused."""

import pytest
from django.urls import reverse

from contracts import access
from contracts.models import GroupEnrolment, GroupSession, SessionGroup
from contracts.selectors import sessions as selectors
from contracts.services import sessions as services
from tests.contracts import referral_factories as fixtures
from tests.contracts import test_sessions
from tests.families.factories import PersonFactory

family = fixtures.family
other_partner = fixtures.other_partner
other_pup = fixtures.other_pup
workshop = fixtures.workshop
trainer = test_sessions.trainer
build = test_sessions.build


def _facts(group):
    return (group.pk, group.name, group.project_id, group.required_attendance, *test_sessions._group_facts(group))


def test_the_partners_group_read_by_its_id_is_the_scoped_querysets(
    family, workshop, social_worker, partner, project, trainer
):
    group, _r, made = build(family, workshop, social_worker, partner, project, trainer, people=3, sessions=2)
    services.attendance_save(session=made[0], by=partner, present=set(group.enrolments.values_list("pk", flat=True)))
    GroupEnrolment.objects.create(  # a participant without a referral
        group=group, person=PersonFactory(family=family, last_name="Bez skierowania"), enrolled_by=partner
    )
    institution_id = access.groups_institution_of(partner)
    assert institution_id == group.institution_id
    for _ in range(2):  # the second call runs the query compiled by the first
        shown = selectors.group_of_institution(institution_id, group.pk)
        plain = selectors.group_prefetched(access.groups_visible_to(partner), group.pk)
        assert _facts(shown) == _facts(plain)


def test_another_institutions_group_is_refused(
    client, family, workshop, social_worker, partner, project, trainer, other_partner
):
    group, _r, _m = build(family, workshop, social_worker, partner, project, trainer)
    other = access.groups_institution_of(other_partner)
    assert other is not None and other != group.institution_id
    with pytest.raises(SessionGroup.DoesNotExist):
        selectors.group_of_institution(other, group.pk)
    with pytest.raises(SessionGroup.DoesNotExist):
        selectors.group_of_institution(group.institution_id, group.pk + 1000)
    client.force_login(other_partner)
    for pk in (group.pk, 2**63, 10**30):  # beyond a bigint: not found either, never an error
        assert client.get(reverse("contracts:group_detail", args=[pk])).status_code == 404
        assert client.post(reverse("contracts:group_enrol", args=[pk]), {"referrals": ["1"]}).status_code == 404


def test_only_partner_staff_see_groups_by_their_institution(partner, manager, coordinator, social_worker):
    assert access.groups_institution_of(partner) == partner.membership.institution_id
    for user in (manager, coordinator, social_worker):
        assert access.groups_institution_of(user) is None
    partner.is_active = False
    assert access.groups_institution_of(partner) is None
    assert not access.groups_visible_to(partner).exists()


def test_the_partners_session_read_by_its_id_is_the_scoped_querysets(
    family, workshop, social_worker, partner, project, trainer
):
    group, _r, made = build(family, workshop, social_worker, partner, project, trainer, people=3, sessions=2)
    present = set(group.enrolments.values_list("pk", flat=True)[:2])
    services.attendance_save(session=made[0], by=partner, present=present)
    institution_id = access.groups_institution_of(partner)
    for session in (*made, *made):  # the second round runs the query compiled by the first
        shown = selectors.session_of_institution(institution_id, session.pk)
        plain = selectors.session_prefetched(access.groups_visible_to(partner), session.pk)
        assert test_sessions._session_facts(shown) == test_sessions._session_facts(plain)
        assert (shown.held_on, shown.hours, shown.group.project.pk) == (
            plain.held_on,
            plain.hours,
            plain.group.project.pk,
        )
    assert (
        sum(e.present for e in selectors.session_of_institution(institution_id, made[0].pk).group.enrolment_list) == 2
    )


def test_another_institutions_session_is_refused(
    client, family, workshop, social_worker, partner, project, trainer, other_partner
):
    _group, _r, made = build(family, workshop, social_worker, partner, project, trainer)
    session = made[0]
    other = access.groups_institution_of(other_partner)
    with pytest.raises(GroupSession.DoesNotExist):
        selectors.session_of_institution(other, session.pk)
    with pytest.raises(GroupSession.DoesNotExist):
        selectors.session_of_institution(session.group.institution_id, session.pk + 1000)
    client.force_login(other_partner)
    for pk in (session.pk, 2**63, 10**30):  # beyond a bigint: not found either, never an error
        assert client.get(reverse("contracts:session_detail", args=[pk])).status_code == 404
        assert client.post(reverse("contracts:session_attendance", args=[pk]), {"present": ["1"]}).status_code == 404
