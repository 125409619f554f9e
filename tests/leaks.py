"""Shared by the leak tests: does a page or notebook show an answer?

An answer that is a number is looked for as a whole number: "3000" (3,000 epochs) is not
shown by "-0.3000" (a given weight), nor "0.1000" by "-0.1000". With fixed decimals, the
digits of one number often sit inside another. Any other answer (a stretch of a
solution's prose) is looked for as it is.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^[-\u2212]?\d[\d,]*(?:\.\d+)?$")


def shows(text: str, secret: str) -> bool:
    """True if ``text`` shows ``secret`` (a whole number, or a stretch of prose)."""
    if _NUMBER.match(secret):
        return re.search(rf"(?<![\d.,\-\u2212]){re.escape(secret)}(?!\d|\.\d)", text) is not None
    return secret in text
