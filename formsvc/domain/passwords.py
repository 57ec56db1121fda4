"""What makes a password acceptable, wherever one is set (CLI, admin form, own account).

Length does the most work: at least 10 characters. Beyond that only the mistakes people
actually make are refused: digits alone (a phone number or a date), one character
repeated, passwords built on the username (the username itself, repeated, reversed, or
with a few characters added: what is left without it must be 10 characters on its
own), passwords found at the top of every leaked list, and the demo's password, which
the README publishes (allowed in a demo database only). Messages are ``msg()`` ids,
shown in the reader's language.
"""

from __future__ import annotations

import re

from formsvc.domain.messages import Msg, msg

MIN_LENGTH = 10
MAX_LENGTH = 128

# Lower-cased; only entries of MIN_LENGTH or more matter (shorter ones fail on length).
COMMON = frozenset(
    {
        "password",
        "password1",
        "password12",
        "password123",
        "password1234",
        "passw0rd12",
        "p@ssw0rd12",
        "p@ssword123",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "asdfghjkl1",
        "asdfghjkl;",
        "zxcvbnm123",
        "abcdefghij",
        "abcd123456",
        "abc1234567",
        "abcdef1234",
        "a123456789",
        "aa12345678",
        "iloveyou12",
        "iloveyou123",
        "admin12345",
        "admin123456",
        "admin@1234",
        "administrator",
        "welcome123",
        "welcome1234",
        "letmein123",
        "changeme123",
        "monkey1234",
        "football123",
        "sunshine123",
        "princess123",
        "superman123",
        "dragon1234",
        "baseball123",
        "trustno1234",
        "1234567890",
        "0987654321",
        "1234qwerty",
        "qwer123456",
        "passwordpassword",
        "thailand123",
        "thailand1234",
        "bangkok123",
        "bangkok1234",
        "formsvc123",
        "formsvc1234",
        "changeit123",
    }
)


# Published in the README and printed by `make run`: anyone may try them.
DEMO_PASSWORD = "formsvc-demo"
PUBLISHED = frozenset({DEMO_PASSWORD})


def without_username(password: str, username: str) -> str:
    """``password`` (case-folded) with every occurrence of the username, forwards or
    backwards, taken out, as often as taking it out leaves another."""
    name = username.strip().casefold()
    if len(name) < 3:  # usernames have at least 3 characters; never strip a letter or two
        return password.casefold()
    pattern = re.compile(f"{re.escape(name)}|{re.escape(name[::-1])}")
    rest, previous = password.casefold(), None
    while rest != previous:
        previous, rest = rest, pattern.sub("", rest)
    return rest


def problem(password: str | None, username: str | None = None, *, demo: bool = False) -> Msg | None:
    """Why ``password`` may not be used, or None when it is acceptable. ``demo``: the
    database is the demo's, where the published demo password is allowed."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return msg("The password must be at least %(min)s characters long.", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return msg("The password is longer than %(max)s characters.", max=MAX_LENGTH)
    if password.isdigit():
        return msg(
            "The password must not be digits only (such as a phone number or a birth date); mix in some letters."
        )
    if len(set(password.casefold())) == 1:
        return msg("The password must not be one character repeated.")
    folded = password.casefold()
    if username and len(without_username(password, username)) < MIN_LENGTH:
        return msg(
            "The password must not be the username, nor the username repeated, reversed or with only a few "
            "characters added: without the username it needs at least %(min)s characters.",
            min=MIN_LENGTH,
        )
    if folded in PUBLISHED and not demo:
        return msg("This is the demo's published password: anyone can read it. Choose another password.")
    if folded in COMMON:
        return msg("This password is common and easy to guess. Choose another password.")
    return None
