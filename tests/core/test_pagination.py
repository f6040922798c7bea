from django.template.loader import render_to_string
from django.test import RequestFactory

from core.pagination import counted, paginate


def _page(query, **kwargs):
    return paginate(RequestFactory().get("/lista/", query), list(range(1, 26)), 10, **kwargs)


def test_the_page_number_is_read_from_strona_and_junk_gives_the_first_page():
    assert list(_page({"strona": "2"})) == list(range(11, 21))
    assert _page({"strona": "-1"}).number == 3  # past the end: the last page
    assert _page({"strona": "abc"}).number == 1
    assert _page({"page": "2"}).number == 1  # the old parameter is not read


def test_the_pager_links_keep_the_filters_and_drop_the_old_page_number():
    page = _page({"q": "Kowalska", "stan": "aktywne", "strona": "2"})
    html = render_to_string("partials/pager.html", {"page": page})
    assert 'href="?q=Kowalska&amp;stan=aktywne&amp;strona=1"' in html
    assert 'href="?q=Kowalska&amp;stan=aktywne&amp;strona=3"' in html
    assert 'aria-label="Strony"' in html and "2 / 3" in html


def test_a_second_pager_on_the_page_has_its_own_parameter_and_keeps_the_first():
    page = _page({"strona": "2", "strona_realizacja": "2"}, param="strona_realizacja")
    html = render_to_string("partials/pager.html", {"page": page})
    assert 'href="?strona=2&amp;strona_realizacja=3"' in html


def test_keep_replaces_the_request_parameters_in_the_links():
    page = _page({"strona": "1", "junk": "x"}, keep={"pokaz": "open"})
    assert page.query == "pokaz=open"
    assert "?pokaz=open&amp;strona=2" in render_to_string("partials/pager.html", {"page": page})


def test_a_single_page_shows_no_pager():
    page = paginate(RequestFactory().get("/"), [1, 2], 10)
    assert render_to_string("partials/pager.html", {"page": page}).strip() == ""


def test_a_counted_page_ends_as_the_pager_would():
    page = counted(["a", "b"], 12, 2, 2)
    assert (page.rows, page.count(), page.offset) == (["a", "b"], 12, 2)
    empty = counted([], 0, 1, 0)
    assert (empty.rows, empty.count()) == ([], 0)  # an empty list is one empty page
    assert counted([], 0, 3, 50) is None  # past the end: the pager counts and shows the last page
