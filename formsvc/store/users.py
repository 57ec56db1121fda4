"""Users: accounts, password hashes and role scopes."""
from __future__ import annotations

import re
import sqlite3

from werkzeug.security import check_password_hash, generate_password_hash

from formsvc.domain.access import ROLE_LABELS_TH, ROLES, Principal
from formsvc.domain.model import lao_full_name
from formsvc.domain.versions import Field, Fields, choice, yes_no
from formsvc.store import versions
from formsvc.store.clock import now_iso
from formsvc.store.db import locked, one
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,40}$")
PASSWORD_MIN = 8
PASSWORD_MAX = 128
# A constant hash to compare against when the username is unknown, so a login attempt
# takes as long whether or not the account exists.
_DUMMY_HASH = generate_password_hash("formsvc-no-such-user")


def _role_and_scope(db, role: str, lao_id, district_code, province_code, display_name: str) -> dict:
    """A role with the one scope it needs (others dropped), checked; Thai errors."""
    if role not in ROLES:
        raise InputError("บทบาทไม่ถูกต้อง", "role")
    display_name = (display_name or "").strip()
    if len(display_name) > 120:
        raise InputError("ชื่อที่แสดงยาวเกิน 120 ตัวอักษร", "display_name")
    lao_id = lao_id if role == "lao_clerk" else None
    district_code = district_code if role in ("facilitator", "district") else None
    province_code = province_code if role == "province" else None
    if role == "lao_clerk" and not (lao_id and one(db, "SELECT id FROM lao WHERE id = ?", [lao_id])):
        raise InputError("เจ้าหน้าที่ อปท. ต้องระบุ อปท. ที่มีอยู่ในระบบ", "lao_id")
    if role in ("facilitator", "district") and not (
            district_code and one(db, "SELECT code FROM district WHERE code = ?", [district_code])):
        raise InputError("ไม่พบรหัสอำเภอนี้", "district_code")
    if role == "province" and not (
            province_code and one(db, "SELECT code FROM province WHERE code = ?", [province_code])):
        raise InputError("ไม่พบรหัสจังหวัดนี้", "province_code")
    return {"display_name": display_name, "role": role, "lao_id": lao_id, "district_code": district_code,
            "province_code": province_code}


def create_user(db, username: str, password: str, role: str, *, lao_id: int | None = None,
                district_code: str | None = None, province_code: str | None = None,
                display_name: str = "") -> int:
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise InputError("ชื่อผู้ใช้ต้องเป็นอักษรอังกฤษ ตัวเลข หรือ . _ - ยาว 3–40 ตัว", "username")
    if role not in ROLES:
        raise InputError("บทบาทไม่ถูกต้อง", "role")
    if not password or len(password) < PASSWORD_MIN:
        raise InputError(f"รหัสผ่านต้องยาวอย่างน้อย {PASSWORD_MIN} ตัวอักษร", "password")
    if len(password) > PASSWORD_MAX:
        raise InputError(f"รหัสผ่านยาวเกิน {PASSWORD_MAX} ตัวอักษร", "password")
    scope = _role_and_scope(db, role, lao_id, district_code, province_code, display_name)
    try:
        with db.atomic():
            return db.execute(
                "INSERT INTO user (username, password_hash, display_name, role, lao_id, district_code,"
                " province_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (username, generate_password_hash(password), scope["display_name"], role, scope["lao_id"],
                 scope["district_code"], scope["province_code"], now_iso())).lastrowid
    except sqlite3.IntegrityError:
        raise InputError("ชื่อผู้ใช้นี้มีอยู่แล้ว", "username") from None


EDITABLE = ("display_name", "role", "lao_id", "district_code", "province_code", "active")


def _user_fields(db) -> Fields:
    def lao(lao_id):
        row = one(db, "SELECT kind, name FROM lao WHERE id = ?", [lao_id])
        return lao_full_name(row["kind"], row["name"]) if row else f"#{lao_id}"

    return Fields({"display_name": "ชื่อที่แสดง", "role": Field("บทบาท", choice(ROLE_LABELS_TH)),
                   "lao_id": Field("อปท.", lao), "district_code": "รหัสอำเภอ", "province_code": "รหัสจังหวัด",
                   "active": Field("เปิดใช้งาน", yes_no)})


def update_user(db, user_id: int, *, display_name: str, role: str, lao_id: int | None = None,
                district_code: str | None = None, province_code: str | None = None, active: bool = True,
                by: int | None = None, expected_version: int | None = None) -> int:
    """An administrator's change to a user's name, role, scope or access. Returns the
    new version; a form based on an old version that would overwrite another
    administrator's change is refused (ConflictError). A change of role, scope or access
    ends the user's sessions, so it takes effect at once."""
    get_user(db, user_id)
    yours = {**_role_and_scope(db, role, lao_id, district_code, province_code, display_name),
             "active": int(bool(active))}
    if by == user_id and (yours["role"] != "admin" or not yours["active"]):
        raise InputError("ผู้ดูแลระบบลดสิทธิ์หรือปิดบัญชีของตนเองไม่ได้", "role")
    with locked(db):
        current = get_user(db, user_id)
        stored = {k: current[k] for k in EDITABLE}
        versions.check(db, "user", user_id, what=f"ผู้ใช้ {current['username']}", expected=expected_version,
                       version=current["version"], current=stored, saved_by=current["updated_by"],
                       saved_at=current["updated_at"], yours=yours, fields=_user_fields(db))
        if yours == stored:
            return current["version"]
        versions.remember(db, "user", user_id, current["version"], stored, current["updated_by"],
                          current["updated_at"])
        access_changed = any(yours[k] != stored[k] for k in EDITABLE if k != "display_name")
        db.execute("UPDATE user SET display_name = ?, role = ?, lao_id = ?, district_code = ?, province_code = ?,"
                   " active = ?, version = version + 1, updated_by = ?, updated_at = ?,"
                   " session_version = session_version + ? WHERE id = ?",
                   [*(yours[k] for k in EDITABLE), by, now_iso(), int(access_changed), user_id])
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
    return list(db.query(
        "SELECT u.id, u.username, u.display_name, u.role, u.lao_id, u.district_code, u.province_code,"
        " u.active, u.created_at, l.kind AS lao_kind, l.name AS lao_name, d.name_th AS district_name,"
        " p.name_th AS province_name FROM user u LEFT JOIN lao l ON l.id = u.lao_id"
        " LEFT JOIN district d ON d.code = u.district_code LEFT JOIN province p ON p.code = u.province_code"
        " ORDER BY u.role, u.username"))


def set_locale(db, user_id: int, locale: str) -> None:
    if locale not in ("th", "en"):
        raise InputError("ภาษาไม่ถูกต้อง", "locale")
    with db.atomic():
        db.execute("UPDATE user SET locale = ? WHERE id = ?", [locale, user_id])


def end_sessions(db, user_id: int) -> None:
    """Invalidate every session of the user (each carries the version it started with)."""
    with db.atomic():
        db.execute("UPDATE user SET session_version = session_version + 1 WHERE id = ?", [user_id])
