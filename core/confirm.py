"""A confirm step for destructive and irreversible actions that works without JavaScript.

The action's button posts to the action's URL; without `confirmed=1` in the POST the view answers
with `confirm_page(...)`: what exactly will happen (counts and names from the data), a button
that posts the same fields again with `confirmed=1`, and a way back. Only the second POST acts.
"""

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirm_page(request, *, title: str, consequences: list[str], button: str, back_url: str, danger: bool = True):
    """The confirmation page; the fields of the first POST (but the CSRF token) are posted again."""
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in values
    ]
    context = {
        "title": title,
        "consequences": consequences,
        "button": button,
        "back_url": back_url,
        "danger": danger,
        "carried": carried,
        "action": request.path,
    }
    return render(request, "partials/confirm.html", context)
