"""A list's page and its length in one query, for the lists of this room whose rows are found by
a costly condition that the pager's COUNT and its page would each evaluate (docs/performance/referrals.md)."""

from django.db.models import Count, QuerySet, Window

from core.pagination import CountedPage, counted, page_in_range


def counted_page(rows, number: int | None, per_page: int, *, fields: tuple[str, ...] = ("pk",)) -> CountedPage | None:
    """Page `number` of `rows` (an ordered queryset) and their number in one query, a window
    `COUNT(*) OVER ()` beside the page's `fields` (the page's rows are these values: one field flat,
    several as tuples). None when it cannot tell the page: a number the pager reads otherwise
    (below 1, or past the end: the last page), for which the caller pages as usual (COUNT, then
    the page).

    Not for a long list served in order by an index (the partner's inbox, 12,800 rows at L): the
    window reads every row where the page would stop after 25."""
    if not page_in_range(number):
        return None
    offset = (number - 1) * per_page
    found = list(rows.annotate(total=Window(Count("*"))).values_list(*fields, "total")[offset : offset + per_page])
    values = [row[0] for row in found] if len(fields) == 1 else [row[:-1] for row in found]
    return counted(values, found[0][-1] if found else 0, number, offset)


def from_the_nearer_end(page) -> None:
    """Read a page of the second half of an ordered list from the list's end: its rows in the
    reversed order with the smaller OFFSET, put back in order. The inbox's last page (OFFSET 12,775 at
    L) is then read off the end of its index, where the OFFSET walked all of it
    (docs/performance.md). The order must be total (it ends with the primary key, as every list's
    order here does): reversed, it gives the same rows. A list read otherwise (a `CountedPage`,
    rows already in a list) is left as it is."""
    rows = page.paginator.object_list
    if not isinstance(rows, QuerySet) or not rows.ordered:
        return
    count, bottom, top = page.paginator.count, page.start_index() - 1, page.end_index()
    if count and count - top < bottom:
        page.object_list = list(rows.reverse()[count - top : count - bottom])[::-1]
