import pytest

from core.params import is_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", True), ("²", False), ("٣", False), ("", False), ("1" * 19, False), ("1" * 18, True), ("-1", False)],
)
def test_only_ascii_digits_of_a_sane_length_are_ids(value, expected):
    assert is_id(value) is expected
