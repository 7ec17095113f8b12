"""Turning bytes that a user supplied into clean text, or a clear error."""

import unicodedata

from api.domain.errors import InvalidInput

# Tab, line feed and carriage return are ordinary in text files; every other C0/C1 control is not.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
# Bidirectional overrides and isolates can make a redline show text other than what is stored.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def decode_text(data: bytes, name: str = "input") -> str:
    """Decode UTF-8 bytes (BOM tolerated), normalise line ends, reject empty or control-laden text."""
    if not data.strip():
        raise InvalidInput(f"{name} is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{name} is not valid UTF-8 (byte {error.start}); save it as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_no_control_characters(text, name)
    return text


def check_no_control_characters(text: str, name: str = "text") -> None:
    """Raise InvalidInput if the text holds control characters other than tab and newline."""
    for index, char in enumerate(text):
        if char in _BIDI_CONTROLS or (char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc"):
            raise InvalidInput(f"{name} contains a control character U+{ord(char):04X} at position {index}")
