"""Small helpers shared by the views of this room."""

from django.contrib import messages
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse


def conflict(request, template, context, error):
    """Show a lost race / refused transition: 409 with the message for conflicts, else the page
    again with the message (nothing was saved)."""
    messages.error(request, error.message)
    return render(request, template, context, status=409 if error.conflict else 400)


def family_url(family) -> str:
    """The family's page in the families room, or "" while that page does not exist."""
    try:
        return reverse("families:family_detail", args=[family.pk])
    except NoReverseMatch:
        return ""

