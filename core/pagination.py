"""One pager for every list page: the page asked for in `?strona=` and the links that keep the filters;
a page read with its list's length in one query (`CountedPage`) for the lists whose COUNT costs."""

from typing import TypeGuard, cast

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


class CountedPage:
    """One page of a list's rows with the list's length, for `core.pagination.paginate` (the pager
    asks `count()`, then slices out the page it settled on: this one)."""

    def __init__(self, rows: list, total: int, offset: int):
        self.rows, self.total, self.offset = rows, total, offset

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> list:
        if key.start != self.offset:  # the pager settled on another page than the one read
            raise IndexError(key)
        return self.rows


def counted(rows: list, total: int, number: int, offset: int) -> CountedPage | None:
    """The page read at `offset` with the list's length that came with its rows (a window count; 0
    when no row came): an empty first page is an empty list; nothing read past it is None (the
    number is past the end, and the pager reads its last page as usual)."""
    if not rows:
        return CountedPage([], 0, 0) if number == 1 else None
    return CountedPage(rows, total, offset)


# a page number past any list (its OFFSET would overflow): paged as usual, the pager shows the last page
_MAX_PAGE = 1_000_000


def page_in_range(number: int | None) -> TypeGuard[int]:
    """Whether `number` is a page a counted read can serve (1 up to _MAX_PAGE); the pager reads any
    other number its own way."""
    return number is not None and 1 <= number <= _MAX_PAGE


def page_number(request, param: str = PAGE_PARAM) -> int | None:
    """The page number asked for in `param` as the pager reads it: 1 when missing or malformed;
    None for a number below 1 (the pager gives the last page)."""
    try:
        number = int(request.GET.get(param, 1))
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None
