"""Input checks: a counterparty name as given → a clean string, or an ``InputError``."""

from __future__ import annotations

import unicodedata

from riskscreen.errors import InputError

MAX_NAME_LENGTH = 500
"""Longest counterparty name accepted, in code points (the longest name on the full
Consolidated Screening List is well under this; anything longer is a pasted paragraph)."""


def check_name(name: object) -> str:
    """Return ``name`` stripped of surrounding whitespace, or raise ``InputError``."""
    if isinstance(name, bytes | bytearray):
        try:
            name = bytes(name).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"name is not valid UTF-8 (byte {exc.start})") from None
    if not isinstance(name, str):
        raise InputError(f"name must be a string, not {type(name).__name__}")
    for index, char in enumerate(name):
        if "\ud800" <= char <= "\udfff":
            # Lone surrogates are what Python makes of undecodable bytes (surrogateescape).
            raise InputError(f"name is not valid UTF-8 (at character {index})")
        if char == "\x00":
            raise InputError(f"name contains a NUL character (at character {index})")
        if unicodedata.category(char) == "Cc" and char != " ":
            raise InputError(f"name contains control character U+{ord(char):04X} (at {index})")
    stripped = name.strip()
    if not stripped:
        raise InputError("name is empty")
    if len(stripped) > MAX_NAME_LENGTH:
        raise InputError(f"name is {len(stripped)} characters long; the limit is {MAX_NAME_LENGTH}")
    if not any(unicodedata.category(c)[0] in "LN" for c in stripped):
        raise InputError("name has no letters or digits")
    return stripped
