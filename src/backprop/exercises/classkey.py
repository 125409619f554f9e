"""The class secret: an HMAC key that only the instructor holds.

``make`` writes a fresh random secret into the instructor's folder (never into a
handout). Each problem of a class gets an opaque id ``<kind>-c<token>``, where the
token is an HMAC of the student, the kind and an attempt number, and the
generator's seed is another HMAC of the token. So a problem id in a student's
notebook says nothing about its numbers: rebuilding the problem
(:func:`class_problem`, :func:`backprop.exercises.problem_from_id` with ``key=``)
needs the secret.

Files written here are private to the instructor: folders ``0o700``, files ``0o600``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import replace
from pathlib import Path

from .problem import Problem

__all__ = [
    "CLASS_PROBLEM_ID",
    "SECRET_FILE",
    "ClassKeyError",
    "class_problem",
    "class_token",
    "is_secret",
    "new_secret",
    "private_folder",
    "read_secret",
    "write_private",
]

SECRET_FILE = "class_secret.key"
CLASS_PROBLEM_ID = re.compile(r"(?P<kind>[a-z_]+)-c(?P<token>[0-9a-f]{16})")
"""A class problem id, e.g. ``hidden_delta-c3f09a1b2c4d5e6f``."""
_SECRET = re.compile(r"[0-9a-f]{64}")


class ClassKeyError(ValueError):
    """The class secret is missing or malformed; the message says where."""


def new_secret() -> str:
    """A fresh class secret: 32 random bytes as 64 hex digits."""
    return secrets.token_hex(32)


def is_secret(value) -> bool:
    """True for a class secret itself (64 hex digits), as opposed to a file's path."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return isinstance(value, str) and bool(_SECRET.fullmatch(value.strip()))


def _key(secret: str | bytes) -> bytes:
    text = secret.decode("ascii", "replace") if isinstance(secret, bytes) else str(secret)
    text = text.strip()
    if not _SECRET.fullmatch(text):
        raise ClassKeyError("a class secret is 64 hex digits, as make writes it into "
                            f"instructor/{SECRET_FILE}")
    return bytes.fromhex(text)


def _mac(secret: str | bytes, message: str) -> bytes:
    return hmac.new(_key(secret), message.encode(), hashlib.sha256).digest()


def class_token(secret: str | bytes, student_id: str, kind: str, attempt: int) -> str:
    """The opaque 16-hex-digit token of one student's problem of one kind."""
    return _mac(secret, f"problem/{student_id}/{kind}/{attempt}").hex()[:16]


def token_seed(secret: str | bytes, token: str) -> int:
    """The generator seed behind a token (a 63-bit HMAC: without the secret, unknown)."""
    return int.from_bytes(_mac(secret, f"seed/{token}")[:8], "big") >> 1


def class_problem(secret: str | bytes, kind: str, token: str) -> Problem:
    """The problem of a class id's ``kind`` and ``token``, with its class id."""
    from .generators import GENERATORS

    if kind not in GENERATORS:
        raise ValueError(f"unknown problem kind {kind!r}; kinds: {', '.join(GENERATORS)}")
    problem = GENERATORS[kind](token_seed(secret, token))
    return replace(problem, problem_id=f"{kind}-c{token}")


def read_secret(path: str | Path) -> str:
    """The class secret stored at ``path``; ``ClassKeyError`` naming the file otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ClassKeyError(f"cannot read the class secret {path}: "
                            f"{getattr(error, 'strerror', None) or error}") from None
    if not _SECRET.fullmatch(text):
        raise ClassKeyError(f"{path} is not a class secret (64 hex digits, as make writes it)")
    return text


def private_folder(path: str | Path) -> Path:
    """Create ``path`` (and parents) if needed and make it owner-only (``0o700``)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` readable by the owner only (``0o600``)."""
    path = Path(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # the file may have existed with wider permissions
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path
