"""Users: accounts, password hashes and role scopes."""
from __future__ import annotations

import re
import sqlite3

from werkzeug.security import check_password_hash, generate_password_hash

from formsvc.domain.access import ROLES, Principal
from formsvc.store.clock import now_iso
from formsvc.store.db import one
from formsvc.store.errors import InputError, NotFound

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,40}$")
PASSWORD_MIN = 8
PASSWORD_MAX = 128
# A constant hash to compare against when the username is unknown, so a login attempt
# takes as long whether or not the account exists.
_DUMMY_HASH = generate_password_hash("formsvc-no-such-user")


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
    try:
        with db.atomic():
            return db.execute(
                "INSERT INTO user (username, password_hash, display_name, role, lao_id, district_code,"
                " province_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (username, generate_password_hash(password), display_name, role, lao_id,
                 district_code, province_code, now_iso())).lastrowid
    except sqlite3.IntegrityError:
        raise InputError("ชื่อผู้ใช้นี้มีอยู่แล้ว", "username") from None


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
