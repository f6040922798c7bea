"""Small helpers shared by the views of this room."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from core.errors import DomainError
from core.forms import show_stale
from core.locking import StaleEdit


def conflict(request, template, context, error):
    """Show a lost race / refused transition: 409 with the message for conflicts, else the page
    again with the message (nothing was saved)."""
    messages.error(request, error.message)
    return render(request, template, context, status=409 if error.conflict else 400)


def save_document(request, *, forms, template, context, save, success, detail):
    """The POST of a document page (a contract or a programme with its goals and actions): with every
    form valid, `save()` (a service returning the saved object), the success message and a redirect
    to the object's `detail` page; a refused save shows the page again with the message; a stale edit
    (core.locking) the differences and the re-apply form (409)."""
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            saved = save()
        except StaleEdit as error:
            show_stale(forms[0], error)
            return render(request, template, context, status=409)
        except DomainError as error:
            return conflict(request, template, context, error)
        messages.success(request, success)
        return redirect(detail, pk=saved.pk)
    return render(request, template, context)


def family_url(family) -> str:
    """The family's page in the families room."""
    return reverse("families:family_detail", args=[family.pk])
