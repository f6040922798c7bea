"""One pager for every list page: the page asked for in `?strona=` and the links that keep the filters."""

from typing import cast

from django.core import paginator
from django.http import QueryDict
from django.utils.http import urlencode

PAGE_PARAM = "strona"
PAGE_SIZE = 25  # rows per page of every list (a page that fits a phone screen a few times over)


class Page(paginator.Page):
    """A page that knows its links: `param` carries the page number, `query` the other parameters."""

    param: str = PAGE_PARAM
    query: str = ""


class _Paginator(paginator.Paginator):
    def _get_page(self, *args, **kwargs) -> Page:
        return Page(*args, **kwargs)

    def get_page(self, number: int | float | str | None) -> Page:
        return cast(Page, super().get_page(number))  # built by _get_page above


def paginate(request, rows, per_page: int, *, param: str = PAGE_PARAM, keep: dict | None = None) -> Page:
    """The page of `rows` the request asks for (a missing or malformed number gives the first page, one
    past the end the last), ready for templates/partials/pager.html: `page.param` is the query
    parameter of the page number, `page.query` the other parameters its links keep — `keep` when
    given, otherwise every other parameter of the request (the list's filters)."""
    page = _Paginator(rows, per_page).get_page(request.GET.get(param))
    page.param = param
    page.query = urlencode(keep) if keep is not None else _without(request.GET, param)
    return page


def _without(query: QueryDict, param: str) -> str:
    query = query.copy()
    query.pop(param, None)
    return query.urlencode()
