"""Users: accounts, password hashes and role scopes."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

from werkzeug.security import check_password_hash, generate_password_hash

from formsvc.domain import clock, passwords
from formsvc.domain.access import ROLES, Principal
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import msg
from formsvc.domain.model import lao_full_name
from formsvc.domain.versions import Field, Fields, choice, yes_no
from formsvc.store import versions
from formsvc.store.db import one
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,40}$")
PASSWORD_MAX = passwords.MAX_LENGTH
# Sign-in throttling: this many failures within WINDOW pause sign-in for LOCK: for one
# account name from one address (ACCOUNT_LIMIT), and for one address whatever the name.
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
# A constant hash to compare against when the username is unknown, so a login attempt
# takes as long whether or not the account exists.
_DUMMY_HASH = generate_password_hash("formsvc-no-such-user")


POSITION_MAX = 200


def _profile(display_name: str, position: str) -> dict:
    """A person's name and position (ตำแหน่ง) as documents print them, checked."""
    display_name = (display_name or "").strip()
    if len(display_name) > 120:
        raise InputError(msg("The display name is longer than 120 characters."), "display_name")
    position = (position or "").strip()
    if len(position) > POSITION_MAX:
        raise InputError(msg("The position is longer than %(max)s characters.", max=POSITION_MAX), "position")
    return {"display_name": display_name, "position": position}


def _role_and_scope(db, role: str, lao_id, district_code, province_code, display_name: str, position: str = "") -> dict:
    """A role with the one scope it needs (others dropped), checked; Thai errors."""
    if role not in ROLES:
        raise InputError(msg("Not a valid role."), "role")
    profile = _profile(display_name, position)
    lao_id = lao_id if role == "lao_clerk" else None
    district_code = district_code if role in ("facilitator", "district") else None
    province_code = province_code if role == "province" else None
    if role == "lao_clerk" and not (lao_id and one(db, "SELECT id FROM lao WHERE id = ?", [lao_id])):
        raise InputError(msg("An LAO clerk needs an LAO that exists in the system."), "lao_id")
    if role in ("facilitator", "district") and not (
        district_code and one(db, "SELECT code FROM district WHERE code = ?", [district_code])
    ):
        raise InputError(msg("There is no district with this code."), "district_code")
    if role == "province" and not (
        province_code and one(db, "SELECT code FROM province WHERE code = ?", [province_code])
    ):
        raise InputError(msg("There is no province with this code."), "province_code")
    return {
        **profile,
        "role": role,
        "lao_id": lao_id,
        "district_code": district_code,
        "province_code": province_code,
    }


def create_user(
    db,
    username: str,
    password: str,
    role: str,
    *,
    lao_id: int | None = None,
    district_code: str | None = None,
    province_code: str | None = None,
    display_name: str = "",
    position: str = "",
) -> int:
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise InputError(msg("A username is 3–40 English letters, digits or . _ -"), "username")
    if role not in ROLES:
        raise InputError(msg("Not a valid role."), "role")
    check_password(db, password, username)
    scope = _role_and_scope(db, role, lao_id, district_code, province_code, display_name, position)
    try:
        with db.atomic():
            return db.execute(
                "INSERT INTO user (username, password_hash, display_name, position, role, lao_id, district_code,"
                " province_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    username,
                    generate_password_hash(password),
                    scope["display_name"],
                    scope["position"],
                    role,
                    scope["lao_id"],
                    scope["district_code"],
                    scope["province_code"],
                    now_iso(),
                ),
            ).lastrowid
    except sqlite3.IntegrityError:
        raise InputError(msg("This username is already taken."), "username") from None


def check_password(db, password: str | None, username: str | None = None) -> None:
    """The password policy (formsvc.domain.passwords), as an InputError on ``password``.
    The demo's published password is allowed in the demo database only."""
    message = passwords.problem(password, username, demo=is_demo(db))
    if message:
        raise InputError(message, "password")


def is_demo(db) -> bool:
    """Whether this is the demo database (`formsvc init-db --demo`)."""
    return one(db, "SELECT value FROM meta WHERE key = 'demo'") is not None


EDITABLE = ("display_name", "position", "role", "lao_id", "district_code", "province_code", "active")


# ROLE_LABELS_TH as messages
ROLE_NAMES = {
    "lao_clerk": msg("LAO clerk"),
    "facilitator": msg("Forum facilitator"),
    "district": msg("District office (local administration or community development)"),
    "province": msg("Province office (local administration or community development)"),
    "national": msg("National office (local administration department or ministry planning)"),
    "admin": msg("Administrator"),
}


def _user_fields(db) -> Fields:
    def lao(lao_id):
        row = one(db, "SELECT kind, name FROM lao WHERE id = ?", [lao_id])
        return lao_full_name(row["kind"], row["name"]) if row else f"#{lao_id}"

    return Fields(
        {
            "display_name": msg("Display name"),
            "position": msg("Position"),
            "role": Field(msg("Role"), choice(ROLE_NAMES)),
            "lao_id": Field(msg("LAO"), lao),
            "district_code": msg("District code"),
            "province_code": msg("Province code"),
            "active": Field(msg("Account enabled"), yes_no),
        }
    )


def update_user(
    db,
    user_id: int,
    *,
    display_name: str,
    position: str = "",
    role: str,
    lao_id: int | None = None,
    district_code: str | None = None,
    province_code: str | None = None,
    active: bool = True,
    by: int | None = None,
    expected_version: int | None = None,
) -> int:
    """An administrator's change to a user's name, role, scope or access. Returns the
    new version; a form based on an old version that would overwrite another
    administrator's change is refused (ConflictError). A change of role, scope or access
    ends the user's sessions, so it takes effect at once."""
    get_user(db, user_id)
    yours = {
        **_role_and_scope(db, role, lao_id, district_code, province_code, display_name, position),
        "active": int(bool(active)),
    }
    if by == user_id and (yours["role"] != "admin" or not yours["active"]):
        raise InputError(msg("An administrator cannot lower the role of, or deactivate, their own account."), "role")
    with db.atomic():
        current = get_user(db, user_id)
        stored = {k: current[k] for k in EDITABLE}
        versions.check(
            db,
            "user",
            user_id,
            what=msg("user %(username)s", username=current["username"]),
            expected=expected_version,
            version=current["version"],
            current=stored,
            saved_by=current["updated_by"],
            saved_at=current["updated_at"],
            yours=yours,
            fields=_user_fields(db),
        )
        if yours == stored:
            return current["version"]
        versions.remember(db, "user", user_id, current["version"], stored, current["updated_by"], current["updated_at"])
        access_changed = any(yours[k] != stored[k] for k in EDITABLE if k not in PROFILE)
        db.execute(
            "UPDATE user SET display_name = ?, position = ?, role = ?, lao_id = ?, district_code = ?,"
            " province_code = ?, active = ?, version = version + 1, updated_by = ?, updated_at = ?,"
            " session_version = session_version + ? WHERE id = ?",
            [*(yours[k] for k in EDITABLE), by, now_iso(), int(access_changed), user_id],
        )
        return current["version"] + 1


PROFILE = ("display_name", "position")


def update_profile(db, user_id: int, *, display_name: str, position: str, expected_version: int | None = None) -> int:
    """A user's own name and position, from their account page. Returns the new version;
    a form based on an old version that would overwrite an administrator's change of
    them is refused (ConflictError). Sessions are kept: access does not change."""
    yours = _profile(display_name, position)
    with db.atomic():
        current = get_user(db, user_id)
        stored = {k: current[k] for k in EDITABLE}
        versions.check(
            db,
            "user",
            user_id,
            what=msg("your profile"),
            expected=expected_version,
            version=current["version"],
            current=stored,
            saved_by=current["updated_by"],
            saved_at=current["updated_at"],
            yours={**stored, **yours},
            fields=_user_fields(db),
            only=set(PROFILE),
        )
        if all(yours[k] == stored[k] for k in PROFILE):
            return current["version"]
        versions.remember(db, "user", user_id, current["version"], stored, current["updated_by"], current["updated_at"])
        db.execute(
            "UPDATE user SET display_name = ?, position = ?, version = version + 1, updated_by = ?, updated_at = ?"
            " WHERE id = ?",
            [yours["display_name"], yours["position"], user_id, now_iso(), user_id],
        )
        return current["version"] + 1


def authenticate(db, username: str, password: str) -> dict | None:
    row = one(db, "SELECT * FROM user WHERE username = ? AND active = 1", [(username or "").strip()])
    if row is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(row["password_hash"], password or ""):
        return None
    return row


def get_user(db, user_id: int) -> dict:
    row = one(db, "SELECT * FROM user WHERE id = ?", [user_id])
    if row is None:
        raise NotFound(user_id)
    return row


def principal(row: dict) -> Principal:
    return Principal(row["id"], row["role"], row["lao_id"], row["district_code"], row["province_code"])


def list_users(db) -> list[dict]:
    return list(
        db.query(
            "SELECT u.id, u.username, u.display_name, u.position, u.role, u.lao_id, u.district_code, u.province_code,"
            " u.active, u.created_at, l.kind AS lao_kind, l.name AS lao_name, d.name_th AS district_name,"
            " p.name_th AS province_name FROM user u LEFT JOIN lao l ON l.id = u.lao_id"
            " LEFT JOIN district d ON d.code = u.district_code LEFT JOIN province p ON p.code = u.province_code"
            " ORDER BY u.role, u.username"
        )
    )


def set_locale(db, user_id: int, locale: str) -> None:
    if locale not in ("th", "en"):
        raise InputError(msg("Not a valid language."), "locale")
    with db.atomic():
        db.execute("UPDATE user SET locale = ? WHERE id = ?", [locale, user_id])


def end_sessions(db, user_id: int) -> None:
    """Invalidate every session of the user (each carries the version it started with)."""
    with db.atomic():
        db.execute("UPDATE user SET session_version = session_version + 1 WHERE id = ?", [user_id])


def change_password(
    db, user_id: int, current: str, new: str, *, address: str | None = None, now: datetime | None = None
) -> int:
    """Set a user's own password; the current one must be given. Every session of the
    user ends (returns the new session version, for the session that made the change).

    A wrong current password counts as a failed sign-in, so a borrowed session cannot be
    used to guess it."""
    user = get_user(db, user_id)
    check_password(db, new, user["username"])
    if new == current:
        raise InputError(msg("The new password must differ from the current one."), "password")
    now = _now(now)
    address = _address_key(address)
    account = _pair_key(_account_key(user["username"]), address)
    locks = _reserve(db, account, address, now)
    if not check_password_hash(user["password_hash"], current or ""):
        _raise_if_locked(locks)
        raise InputError(msg("The current password is not correct."), "current_password")
    with db.atomic():
        _release(db, account, address)
        db.execute(
            "UPDATE user SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
            [generate_password_hash(new), user_id],
        )
    return get_user(db, user_id)["session_version"]


# Sign-in throttling -----------------------------------------------------------------------
# Each attempt is counted as a failure *before* the password is checked and given back
# when the password is right: requests running at once in several server processes
# cannot together try more passwords than the limit.
#
# An account name is paused at the address the failures came from only (its rows have
# kind 'account' and the key "name|address"): someone guessing a colleague's password
# from their own computer cannot keep the colleague out of the account at theirs. The
# address-wide pause (ADDRESS_LIMIT) still stops one address trying many names.


class SignInPaused(InputError):
    """Sign-in is paused for an account name or a client address until ``until`` (UTC)."""

    def __init__(self, kind: str, until: datetime, now: datetime | None = None):
        self.kind = kind
        self.until = until
        self.minutes = max(1, -(-int((until - _now(now)).total_seconds()) // 60))
        values = {"time": until.astimezone(_BANGKOK).strftime("%H:%M"), "minutes": self.minutes}
        if kind == "address":
            message = msg(
                "Too many failed sign-ins from this computer or network. Signing in from here is paused; "
                "try again after %(time)s (in about %(minutes)s minutes) or ask an administrator.",
                **values,
            )
        else:
            message = msg(
                "Too many failed sign-ins for this account from this computer or network. Signing in to it "
                "from here is paused; try again after %(time)s (in about %(minutes)s minutes) or ask an "
                "administrator.",
                **values,
            )
        super().__init__(message, "password")


_BANGKOK = timezone(timedelta(hours=7))  # Thailand keeps no daylight saving time


def _now(now: datetime | None = None) -> datetime:
    return (now or clock.now()).astimezone(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _account_key(username: str | None) -> str:
    return (username or "").strip().lower()[:40]


def _address_key(address: str | None) -> str:
    return (address or "unknown")[:64]


PAIR = "|"  # between an account name and an address (no address holds one)


def _pair_key(account: str, address: str) -> str:
    """The key of an account name's failures from one address."""
    return f"{account}{PAIR}{address}"


def sign_in(db, username: str, password: str, address: str | None, *, now: datetime | None = None) -> dict | None:
    """The active user with this username and password, or None.

    Raises SignInPaused while the account name is paused at this address, or the address
    is paused (the password is then not checked at all), and when this failure is the
    one that pauses it. A username that does not exist is counted and paused the same
    way, so a pause tells nothing about which usernames exist. A right password clears
    the account's count at this address."""
    now = _now(now)
    address = _address_key(address)
    account = _pair_key(_account_key(username), address)
    locks = _reserve(db, account, address, now)
    user = authenticate(db, username, password)
    if user is None:
        _raise_if_locked(locks)
        return None
    with db.atomic():
        _release(db, account, address)
    return user


def _reserve(db, account: str, address: str, now: datetime) -> dict[str, datetime]:
    """Refuse when paused; otherwise count one failure for both keys (``account``: the
    name at this address, see _pair_key). Returns the pauses
    that this attempt sets (they stand if the password turns out wrong)."""
    keys = (("address", address, ADDRESS_LIMIT), ("account", account, ACCOUNT_LIMIT))
    started = {}
    with db.atomic(outermost=True):
        rows = {
            kind: one(db, "SELECT * FROM login_throttle WHERE kind = ? AND key = ?", [kind, key])
            for kind, key, _ in keys
        }
        for kind, _key, _limit in keys:
            row = rows[kind]
            if row and row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
                raise SignInPaused(kind, datetime.fromisoformat(row["locked_until"]), now)
        for kind, key, limit in keys:
            row = rows[kind]
            fresh = row is None or row["locked_until"] or datetime.fromisoformat(row["window_start"]) + WINDOW <= now
            failures = 1 if fresh else row["failures"] + 1
            window_start = _iso(now) if fresh else row["window_start"]
            locked_until = None
            if failures >= limit:
                started[kind] = now + LOCK
                locked_until = _iso(now + LOCK)
            db.execute(
                "INSERT INTO login_throttle (kind, key, failures, window_start, locked_until)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET failures = excluded.failures,"
                " window_start = excluded.window_start, locked_until = excluded.locked_until",
                [kind, key, failures, window_start, locked_until],
            )
        # forget what no longer matters: windows that ended and pauses that are over
        db.execute(
            "DELETE FROM login_throttle WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)",
            [_iso(now - WINDOW), _iso(now)],
        )
    return started


def _release(db, account: str, address: str) -> None:
    """A right password: the account starts afresh at this address; the address gets
    its attempt back."""
    db.execute("DELETE FROM login_throttle WHERE kind = 'account' AND key = ?", [account])
    db.execute(
        "UPDATE login_throttle SET failures = max(failures - 1, 0),"
        " locked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE locked_until END"
        " WHERE kind = 'address' AND key = ?",
        [ADDRESS_LIMIT, address],
    )


def _raise_if_locked(locks: dict[str, datetime]) -> None:
    for kind in ("address", "account"):
        if kind in locks:
            raise SignInPaused(kind, locks[kind])


def locked_accounts(db, *, now: datetime | None = None) -> dict[int, dict]:
    """user id → {"until": the latest end of a pause (ISO, UTC), "addresses": where from}
    for users whose sign-in is paused now at one address or more."""
    paused: dict[str, dict] = {}
    for row in db.query(
        "SELECT key, locked_until FROM login_throttle WHERE kind = 'account' AND locked_until > ? ORDER BY key",
        [_iso(_now(now))],
    ):
        name, _, address = row["key"].rpartition(PAIR)
        entry = paused.setdefault(name, {"until": row["locked_until"], "addresses": []})
        entry["until"] = max(entry["until"], row["locked_until"])
        entry["addresses"].append(address)
    if not paused:
        return {}
    users = db.query(
        f"SELECT id, lower(username) AS name FROM user WHERE lower(username) IN ({', '.join('?' * len(paused))})",
        list(paused),
    )
    return {u["id"]: paused[u["name"]] for u in users}


def locked_addresses(db, *, now: datetime | None = None) -> list[dict]:
    return list(
        db.query(
            "SELECT key AS address, failures, locked_until FROM login_throttle"
            " WHERE kind = 'address' AND locked_until > ? ORDER BY key",
            [_iso(_now(now))],
        )
    )


def unlock_user(db, user_id: int) -> dict:
    """Let the user sign in again at once, from every address (an administrator's
    decision)."""
    user = get_user(db, user_id)
    prefix = _account_key(user["username"]) + PAIR
    with db.atomic():
        db.execute("DELETE FROM login_throttle WHERE kind = 'account' AND substr(key, 1, ?) = ?", [len(prefix), prefix])
    return user


def unlock_address(db, address: str) -> None:
    address = (address or "").strip()
    if not address or len(address) > 64:
        raise InputError(msg("Not a valid network address."), "address")
    with db.atomic():
        cur = db.execute("DELETE FROM login_throttle WHERE kind = 'address' AND key = ?", [address])
    if cur.rowcount == 0:
        raise InputError(msg("This network address is not paused."), "address")


# E-mail ---------------------------------------------------------------------------------
# One address per user, for notices and reminders (docs/mail.md); empty: none is sent.
EMAIL_MAX = 254
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_RE = re.compile(rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})+$")


def clean_email(email: str | None) -> str:
    """The address as stored (trimmed), or InputError on ``email`` when it is not one."""
    email = (email or "").strip()
    if email and (len(email) > EMAIL_MAX or not EMAIL_RE.match(email) or ".." in email):
        raise InputError(msg("This is not a valid e-mail address (for example somchai@example.go.th)."), "email")
    return email


def set_email(db, user_id: int, email: str | None, notify: bool) -> dict:
    """Set a user's e-mail address and whether notices are sent to it (by the user on
    their account page, or by an administrator). Returns the updated user."""
    email = clean_email(email)
    get_user(db, user_id)
    with db.atomic():
        db.execute("UPDATE user SET email = ?, notify = ? WHERE id = ?", [email, int(bool(notify)), user_id])
    return get_user(db, user_id)
