"""The public page (guideline §10, "ประกาศเกียรติคุณ"): the KPI of the nation and of each
province for a period of a programme year, each model LAO with the criteria it met as
it reported them, and the honours list; the same figures as open data.

As reported only. A period gone by is what ``rollups.rollup`` gives (each LAO's latest
submitted version of the period, else not reported), so the figures equal
``formsvc rollup --period N --json``. In the open period the roll-up shows the LAOs that
have not reported yet with today's data ("live"); the public page does not: it shows
what was reported so far, and counts an LAO that has not reported yet as meeting
nothing, like a missing report of a period gone by. Nothing a clerk types that may
name a person (problems, suggestions) and nobody's name (who sent, reviewed, issued)
is part of it.

Cached: the payload of a (year, period) is kept with the day (the open period and the
days late follow the clock) and ``store.public.change_stamp`` (the audit log's last
entry and the settings stamp): any write to any record makes the next request compute
it again; nothing else does."""

from __future__ import annotations

import threading

from formsvc.domain import clock, criteria
from formsvc.domain.errors import NotFound
from formsvc.domain.model import district_display_name, lao_full_name
from formsvc.services import rollups
from formsvc.store import programme as programme_store
from formsvc.store import public as public_store
from formsvc.store import reports as report_store

LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_TH = "สัญญาอนุญาตครีเอทีฟคอมมอนส์แบบแสดงที่มา 4.0 สากล (CC BY 4.0)"
ATTRIBUTION = "กรมส่งเสริมการปกครองท้องถิ่น กระทรวงมหาดไทย"

CACHE_SIZE = 64
_cache: dict[tuple, dict] = {}
_lock = threading.Lock()


def is_shown(db, year: int) -> bool:
    return public_store.is_shown(db, year)


def set_shown(db, year: int, shown: bool, user_id: int | None) -> bool:
    programme_store.get_programme(db, year)  # a year opened, else NotFound
    return public_store.set_shown(db, year, shown, user_id)


def hidden_years(db) -> set[int]:
    return public_store.hidden_years(db)


def periods(db, year: int) -> list:
    """The periods of ``year`` the public page offers: those that have started (of a
    closed year, all of them); the first one before the programme begins."""
    all_periods = report_store.programme_periods(db, year)
    if year != programme_store.open_year(db):
        return all_periods
    open_number = rollups.current_period(db, clock.today(), year)
    return [p for p in all_periods if p.number <= open_number]


def payload(db, year: int, period: int | None = None) -> dict:
    """The public figures of ``period`` (default: the open one, of a closed year the
    last) of programme year ``year``, from the cache when nothing changed since.
    NotFound for a period the page does not offer."""
    offered = [p.number for p in periods(db, year)]
    period = offered[-1] if period is None else period
    if period not in offered:
        raise NotFound(period)
    key = (year, period, clock.today().isoformat(), public_store.change_stamp(db))
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    result = _compute(db, year, period)
    with _lock:
        if len(_cache) >= CACHE_SIZE:
            _cache.clear()
        _cache[key] = result
    return result


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _compute(db, year: int, period: int) -> dict:
    today = clock.today()
    result = rollups.rollup(db, period=period, year=year, today=today)
    is_open = period == result["open_period"]
    # the roll-up's rows with the open period's live figures taken out: what was reported
    masked = [_reported_only(lao) for lao in result["laos"]]
    rows = [_row(lao) for lao in masked]
    national = _figures(rollups._totals(masked))
    provinces = [
        {"code": group["code"], "name": group["name"], **_figures(group)}
        for group in rollups.group_rollup({"laos": masked}, "province")
    ]
    return {
        "programme_year": year,
        "period": period,
        "period_start": report_store.period(db, period, year).start.isoformat(),
        "period_end": report_store.period(db, period, year).end.isoformat(),
        "open_period": is_open,
        "as_of": today.isoformat() if is_open else None,
        "criteria": [{"number": c.number, "title": c.title_th} for c in criteria.CRITERIA],
        "national": national,
        "provinces": provinces,
        "laos": rows,
        "honours": [
            {
                "lao_id": h["lao_id"],
                "name": lao_full_name(h["kind"], h["name"]),
                "district_code": h["district_code"],
                "district": district_display_name(h["district_kind"], h["district_name"]),
                "province_code": h["province_code"],
                "province": h["province_name"],
                "issued_on": h["issued_at"][:10],
            }
            for h in public_store.honours(db, year)
        ],
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
    }


def _reported_only(lao: dict) -> dict:
    if lao["source"] == "reported":
        return lao
    return {**lao, "source": None, "criteria": None, "all_met": False, "report_version": None, "submitted_at": None}


def _row(lao: dict) -> dict:
    """A roll-up row as the public sees it: as reported, or not reported (the open
    period's live figures are not shown); no problems, suggestions or names."""
    reported = lao["source"] == "reported"
    met = lao["criteria"] if reported else None
    return {
        "lao_id": lao["lao_id"],
        "name": lao["name"],
        "district_code": lao["district_code"],
        "district": lao["district"],
        "province_code": lao["province_code"],
        "province": lao["province"],
        "source": "reported" if reported else None,
        "reported": reported,
        "report_version": lao["report_version"] if reported else None,
        "submitted_on": lao["submitted_at"][:10] if reported and lao["submitted_at"] else None,
        "criteria": met,
        "criteria_met_count": sum(met) if met else 0,
        "all_met": bool(met) and all(met),
        "late": lao["late"],
        "days_late": lao["days_late"],
    }


def _figures(totals: dict) -> dict:
    return {
        "selected": totals["selected"],
        "passing": totals["passing"],
        "kpi_percent": totals["kpi_percent"],
        "criteria_met": totals["criteria_met"],
        "funnel": totals["funnel"],
        "reported": totals["sources"]["reported"],
        "not_reported": totals["selected"] - totals["sources"]["reported"],
    }
