"""Turning bytes that a user supplied into clean text, or a clear error."""

import unicodedata

from api.domain.errors import InvalidInput

# Tab, line feed and carriage return are ordinary in text files; every other C0/C1 control is not.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
# Bidirectional overrides and isolates can make a redline show text other than what is stored.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
# Characters that show nothing and mean nothing in a negotiated text: zero-width space, word joiner,
# zero-width no-break space (BOM), soft hyphen, Mongolian vowel separator, invisible operators, combining
# grapheme joiner, Hangul fillers. Removed from what people type.
_INVISIBLE = {
    chr(c) for c in (0x00AD, 0x034F, 0x115F, 0x1160, 0x180E, 0x200B, 0x2060, *range(0x2061, 0x2065), 0x3164)
} | {"\ufeff", "\uffa0"}
# Joiners and direction marks show nothing either, but shape Arabic, Persian or Indic script: they stay
# in the text, yet a change of only these is no change of wording.
_SHAPING_MARKS = {"\u200c", "\u200d", "\u200e", "\u200f", "\u061c"}
_REMOVE = str.maketrans(dict.fromkeys(_INVISIBLE))
_REMOVE_ALL = str.maketrans(dict.fromkeys(_INVISIBLE | _SHAPING_MARKS))


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


def without_invisible_characters(text: str) -> str:
    """The text without the characters that show nothing and mean nothing (zero-width space …)."""
    return text.translate(_REMOVE)


def visible_wording(text: str) -> str:
    """What a reader sees of the text: also without joiners and direction marks, and trimmed."""
    return text.translate(_REMOVE_ALL).strip()
