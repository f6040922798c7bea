"""One pager for every list page: the page asked for in `?strona=` and the links that keep the filters."""

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.http import urlencode

PAGE_PARAM = "strona"


def paginate(request, rows, per_page: int, *, param: str = PAGE_PARAM, keep: dict | None = None) -> Page:
    """The page of `rows` the request asks for (a missing or malformed number gives the first page, one
    past the end the last), ready for templates/partials/pager.html: `page.param` is the query
    parameter of the page number, `page.query` the other parameters its links keep — `keep` when
    given, otherwise every other parameter of the request (the list's filters)."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    page.param = param
    page.query = urlencode(keep) if keep is not None else _without(request.GET, param)
    return page


def _without(query: QueryDict, param: str) -> str:
    query = query.copy()
    query.pop(param, None)
    return query.urlencode()
