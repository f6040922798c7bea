"""The group page as opened reads the offered referrals and their count in one query compiled once
per connection (`contracts.selectors.sessions._FIRST_OFFERED`): the same referrals, in the same
order and with the same fields, and the same count as the plain querysets give."""

from django.urls import reverse

from contracts import access
from contracts.models import SessionGroup
from contracts.selectors import sessions as selectors
from contracts.services import sessions as services
from tests.contracts import referral_factories as fixtures
from tests.contracts import test_sessions
from tests.families.factories import PersonFactory

family = fixtures.family
workshop = fixtures.workshop
trainer = test_sessions.trainer
accepted, build = test_sessions.accepted, test_sessions.build


def _facts(referral):
    person = referral.person
    return referral.pk, referral.status, referral.get_deferred_fields(), person.pk, person.last_name, person.first_name


def _plain(group):
    accepted_ = services.enrollable_referrals(group)
    return [_facts(r) for r in accepted_[: selectors.OFFERED]], accepted_.count()


def _read_at_once(group, user):
    offer = selectors.enrolment_offer(group, user, search=None)
    assert offer.referral_rows is not None and offer.person_rows == []  # no name typed: no other persons
    return [_facts(r) for r in offer.referral_rows], offer.referral_count


def test_the_offer_read_at_once_is_what_the_querysets_give(family, workshop, social_worker, partner, project, trainer):
    group, _referrals, _made = build(family, workshop, social_worker, partner, project, trainer, people=2, sessions=0)
    workshop.capacity = None  # no waiting list: every referral is accepted
    workshop.save()
    other = services.group_create(by=partner, service=workshop, name="Druga grupa")
    group = SessionGroup.objects.get(pk=group.pk)
    assert _read_at_once(group, partner) == _plain(group) == ([], 0)  # both enrolled: nothing offered
    for n in range(selectors.OFFERED + 2):
        accepted(PersonFactory(family=family, last_name=f"Zając{n:02d}"), workshop, social_worker, partner)
    for _ in range(2):  # the second round runs the query compiled by the first
        shown, count = _read_at_once(group, partner)
        assert (shown, count) == _plain(group)
        assert len(shown) == selectors.OFFERED and count == selectors.OFFERED + 2
        assert _read_at_once(other, partner) == _plain(other)  # the other group: its own enrolments left out
        assert _plain(other)[1] == selectors.OFFERED + 4


def test_the_page_as_opened_writes_the_offer_and_its_count(
    client, family, workshop, social_worker, partner, project, trainer
):
    group, _referrals, _made = build(family, workshop, social_worker, partner, project, trainer, people=1, sessions=0)
    workshop.capacity = None
    workshop.save()
    for n in range(selectors.OFFERED + 1):
        accepted(PersonFactory(family=family, last_name=f"Zając{n:02d}"), workshop, social_worker, partner)
    client.force_login(partner)
    page = client.get(reverse("contracts:group_detail", args=[group.pk])).content.decode()
    assert page.count('name="referrals"') == selectors.OFFERED and 'name="persons"' not in page
    assert f"Pokazano {selectors.OFFERED} z {selectors.OFFERED + 1} skierowań" in page
    assert access.groups_visible_to(partner).filter(pk=group.pk).exists()


def test_the_page_as_opened_builds_the_forms_referrals_only_when_they_are_read(
    client, monkeypatch, family, workshop, social_worker, partner, project, trainer
):
    group, _referrals, _made = build(family, workshop, social_worker, partner, project, trainer, people=0, sessions=0)
    workshop.capacity = None
    workshop.save()
    for n in range(selectors.OFFERED + 1):
        accepted(PersonFactory(family=family, last_name=f"Zając{n:02d}"), workshop, social_worker, partner)
    built = []
    plain = selectors.enrollable_referrals
    monkeypatch.setattr(selectors, "enrollable_referrals", lambda g: built.append(g.pk) or plain(g))
    client.force_login(partner)
    page = client.get(reverse("contracts:group_detail", args=[group.pk]))
    assert built == []  # the rows shown were read by the compiled query
    field = page.context["enrol_form"].fields["referrals"]
    assert [_facts(r) for r in field.queryset] == _plain(group)[0]  # built when read, the plain offer
    assert built == [group.pk] and len(list(field.queryset)) == selectors.OFFERED and built == [group.pk]


def test_the_offer_checks_the_persons_walked_by_name_against_its_persons_first(
    family, workshop, social_worker, partner, project, trainer
):
    """The compiled offer filters the persons themselves (`contracts.sql.RelatedIn`: a hashed subplan
    on PostgreSQL) before reading their referrals; namesakes still come in the referrals' order."""
    group, _referrals, _made = build(family, workshop, social_worker, partner, project, trainer, people=1, sessions=0)
    workshop.capacity = None
    workshop.save()
    for _ in range(selectors.OFFERED + 2):
        accepted(PersonFactory(family=family, last_name="Nowak", first_name="Anna"), workshop, social_worker, partner)
    group = SessionGroup.objects.get(pk=group.pk)
    assert _read_at_once(group, partner) == _plain(group)
    sql = str(selectors._first_offered(group.pk, group.service_id, group.institution_id).query)
    assert '"families_person"."id" IN (SELECT' in sql  # on the person's own join, not the referral's column
