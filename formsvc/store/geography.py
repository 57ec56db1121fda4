"""Provinces, districts and subdistricts from geothai, loaded into the database."""

from __future__ import annotations

import geothai
import sqlite_utils

from formsvc.store.db import one

BANGKOK = "10"  # DOPA code of Bangkok, whose districts are เขต, not อำเภอ


def district_kind(province_code: str) -> str:
    return "khet" if province_code == BANGKOK else "amphoe"


def load(db: sqlite_utils.Database) -> dict[str, int]:
    """Insert or update every area geothai knows, in one transaction. Returns counts."""
    provinces = geothai.provinces()
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO province (code, name_th, name_en) VALUES (?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET name_th = excluded.name_th, name_en = excluded.name_en",
            [(p.code, p.name_th, p.name_en) for p in provinces],
        )
        db.conn.executemany(
            "INSERT INTO district (code, province_code, name_th, name_en, kind) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET province_code = excluded.province_code,"
            " name_th = excluded.name_th, name_en = excluded.name_en, kind = excluded.kind",
            [(d.code, d.province_code, d.name_th, d.name_en, district_kind(d.province_code)) for d in districts],
        )
        db.conn.executemany(
            "INSERT INTO subdistrict (code, district_code, name_th, name_en) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET district_code = excluded.district_code,"
            " name_th = excluded.name_th, name_en = excluded.name_en",
            [(s.code, s.district_code, s.name_th, s.name_en) for s in subdistricts],
        )
    return {"province": len(provinces), "district": len(districts), "subdistrict": len(subdistricts)}


def province(db, code: str) -> dict | None:
    return one(db, "SELECT * FROM province WHERE code = ?", [code])


def district(db, code: str) -> dict | None:
    return one(
        db,
        "SELECT d.*, p.name_th AS province_name FROM district d"
        " JOIN province p ON p.code = d.province_code WHERE d.code = ?",
        [code],
    )


def provinces(db) -> list[dict]:
    return list(db.query("SELECT * FROM province ORDER BY code"))


def districts_of(db, province_code: str) -> list[dict]:
    return list(db.query("SELECT * FROM district WHERE province_code = ? ORDER BY code", [province_code]))


def subdistricts_of(db, district_code: str) -> list[dict]:
    return list(db.query("SELECT * FROM subdistrict WHERE district_code = ? ORDER BY code", [district_code]))


def provinces_by_name(db) -> list[dict]:
    """Every province's code and Thai name, in Thai alphabetical order."""
    return list(db.query("SELECT code, name_th FROM province ORDER BY name_th"))


def province_name(db, code: str) -> str | None:
    row = one(db, "SELECT name_th FROM province WHERE code = ?", [code])
    return row["name_th"] if row else None


def districts_with_province(db) -> list[dict]:
    """Every district with its province's Thai name (``province_name``), by code."""
    return list(
        db.query(
            "SELECT d.*, p.name_th AS province_name FROM district d"
            " JOIN province p ON p.code = d.province_code ORDER BY d.code"
        )
    )


def provinces_with_amphoe_counts(db) -> list[dict]:
    """Every province's code, Thai name and number of อำเภอ (``amphoe``), by code."""
    return list(
        db.query(
            "SELECT p.code, p.name_th,"
            " (SELECT count(*) FROM district d WHERE d.province_code = p.code AND d.kind = 'amphoe') AS amphoe"
            " FROM province p ORDER BY p.code"
        )
    )
