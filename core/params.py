"""Parsing what a person can type into a URL or a hidden field, shared by every room's views."""


def is_id(value: str) -> bool:
    """A usable id from the query or a hidden field: ASCII digits only ("²".isdigit() is True
    but int("²") fails), and short enough for a 64-bit key."""
    return value.isascii() and value.isdigit() and len(value) < 19
