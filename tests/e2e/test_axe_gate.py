"""The accessibility gate itself (issue 12, "Done when"): assert_accessible fails a browser test on a
serious or critical WCAG 2.1 A/AA violation and lets a clean page through."""

import pytest

from tests.e2e.conftest import assert_accessible

PAGE = (
    '<!doctype html><html lang="pl"><head><title>Brama</title></head><body><main><h1>Brama</h1>{}</main></body></html>'
)


@pytest.mark.e2e
def test_an_image_without_a_text_alternative_fails_the_gate(desktop):
    desktop.set_content(PAGE.format('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'))
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        assert_accessible(desktop)


@pytest.mark.e2e
def test_the_same_image_with_its_alternative_passes(desktop):
    desktop.set_content(PAGE.format('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Logo">'))
    assert_accessible(desktop)
