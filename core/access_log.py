"""Read-access logging: one django-auditlog `ACCESS` entry per response that shows personal data.

One mechanism for every page, form, search, file and export: a view declares the records it shows
with `shown(request, obj, ...)` (a request-scoped registry: the object's fetch helper or the view
calls it once it knows the user may see it); `AccessLogMiddleware` writes, after the view has
answered, exactly one entry for the response:

- who: the actor (and the client address auditlog's middleware records);
- when: the entry's timestamp;
- what: the first declared record is the entry's object; every declared record is listed in
  `additional_data["shown"]` as `[app_label.model, pk]` (a search or a list shows several);
- which page: the URL name and the path (never the query string, which may hold a search term).

Nothing is written for a redirect (the page that follows logs itself), a refusal (403, 404), a
server error or a response for which nothing was declared. The entry's text names the kind and id of the record,
never a name or a PESEL. core knows no domain word: any model instance can be declared.
"""

from auditlog.models import LogEntry

_REGISTRY = "_access_log_shown"
_DETAIL = "_access_log_detail"


def shown(request, *objects, **detail) -> None:
    """Declare that this response shows `objects` (model instances; None is skipped, a record
    declared twice counts once). `detail` (e.g. `export="participants"`) is stored with the entry."""
    registry = request.__dict__.setdefault(_REGISTRY, {})
    for obj in objects:
        if obj is not None and obj.pk is not None:
            registry.setdefault((_label(obj), obj.pk), obj)
    request.__dict__.setdefault(_DETAIL, {}).update(detail)


def declared(request) -> list:
    """What the view declared so far (tests and the middleware read it)."""
    return list(request.__dict__.get(_REGISTRY, {}).values())


MASK = "•••••"
# Answers that show the page with the record on it: 2xx, and a form page sent back with its errors.
_SHOWING_STATUSES = {400, 409, 422}


def mask_fully(value: str) -> str:
    """AUDITLOG_MASK_CALLABLE: a masked field's value in a diff keeps nothing of the value (not its
    length either); an empty value stays empty, so "added" and "removed" remain readable."""
    return value if value in ("", "None") else MASK


def _shows_content(response) -> bool:
    return 200 <= response.status_code < 300 or response.status_code in _SHOWING_STATUSES


def _label(obj) -> str:
    return obj._meta.label_lower


def write_access_entry(request, objects: list, detail: dict) -> LogEntry:
    first = objects[0]
    match = getattr(request, "resolver_match", None)
    data = {
        "page": match.view_name if match else "",
        "path": request.path,
        "method": request.method,
        "shown": [[_label(obj), obj.pk] for obj in objects],
        **detail,
    }
    return LogEntry.objects.log_create(
        first,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=request.user if request.user.is_authenticated else None,
        object_repr=f"{_label(first)} #{first.pk}",
        additional_data=data,
    )


class AccessLogMiddleware:
    """Writes the one `ACCESS` entry of a response (placed after auditlog's middleware, so the
    entry gets the client address)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        objects = declared(request)
        if objects and _shows_content(response):
            write_access_entry(request, objects, request.__dict__.get(_DETAIL, {}))
        return response
