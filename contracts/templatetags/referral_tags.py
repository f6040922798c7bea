from django import template

from contracts import access
from contracts.selectors.referrals import counts_for_home

register = template.Library()


@register.simple_tag(takes_context=True)
def referral_counts(context) -> dict:
    """Numbers for the home cards of the user in the request (one aggregate query)."""
    user = context["request"].user
    if access.is_partner_view(user):
        return counts_for_home(access.referral_inbox_of(user))
    return counts_for_home(access.referrals_visible_to(user).filter(created_by=user))
