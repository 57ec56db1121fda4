"""Roll-ups: the model LAOs of a district, a province or the country with their criteria,
report status and the KPI, summed by area, and the summary documents."""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock, criteria, thai, themes
from formsvc.domain.errors import NotFound
from formsvc.domain.model import district_display_name, lao_full_name
from formsvc.domain.reports import STATUS_TH, days_late
from formsvc.services import chain, checklist
from formsvc.store import compliance_cache, geography
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store


def current_period(db, today: _dt.date | None = None, year: int | None = None) -> int:
    """The latest reporting period of programme year ``year`` (default: the open year)
    that has started (the first one before the programme)."""
    return report_store.open_period(db, today or clock.today(), year)


def kpi_text(passing: int, selected: int) -> str:
    """passing / selected as a percentage with two decimals, rounded half up exactly."""
    if not selected:
        return "0.00"
    return str((Decimal(passing * 100) / Decimal(selected)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


NOT_REPORTED_TH = "ไม่ได้รายงาน"


def late_text(days: int) -> str:
    """'ส่งช้า 3 วัน' for documents (pages say it through the UI catalog)."""
    return f"ส่งช้า {days} วัน" if days else ""


def rollup(
    db,
    *,
    province_code: str | None = None,
    district_code: str | None = None,
    period: int | None = None,
    today: _dt.date | None = None,
    year: int | None = None,
) -> dict:
    """The model LAOs of a scope with each criterion, the report status of a period, the
    KPI (passing / selected) and the criterion funnel. The totals are sums of the rows.

    What was reported stays reported (docs/domain.md, "What was reported stays reported"). Each row's criteria
    come from, in this order:

    - its latest submitted version of the period (submitted, acknowledged, or returned:
      a returned report's latest version is still what was sent): ``"source":
      "reported"`` with ``report_version`` and ``submitted_at``, the criteria, problems
      and suggestions of that version's snapshot, whatever the data says today;
    - else, in the open period (the latest that has started: ``current_period``),
      today's data: ``"source": "live"``, ``as_of`` today;
    - else nothing: ``"report_status": "missing"``, ``"source": None`` and
      ``"criteria": None`` (no figures from today's data for a period gone by). Such an
      LAO counts as not passing and as meeting no criterion in the KPI, the per-criterion
      counts and the funnel: the Ministry's KPI is over every selected model LAO, and an
      LAO that did not report has shown nothing met for that period.

    Lateness is ``domain.reports.days_late`` for every row (``days_late``, ``late``).

    One query (``store.reports.rollup_rows``) reads every row with its latest and first
    submitted versions (only the parts of the snapshot a row needs, extracted by SQLite)
    and its cached criteria; only live rows whose data changed since their criteria were last computed are
    computed again (and cached).

    ``year`` is a programme year (default: the open year; one never opened raises
    NotFound). A closed year has no open period: each row is as reported or missing."""
    today = today or clock.today()
    prog = programme_store.get_programme(db, year)
    # a closed programme year has no open period: every row is as reported, or missing
    open_period = current_period(db, today, prog.year_be) if prog.year_be == programme_store.open_year(db) else None
    period = period if period is not None else open_period or len(report_store.programme_periods(db, prog.year_be))
    the_period = report_store.period(db, period, prog.year_be)
    days = prog.late_days
    rows = report_store.rollup_rows(db, prog.year_be, period, province_code=province_code, district_code=district_code)
    laos, computed = [], []
    for row in rows:
        reported = row["report_version"] is not None
        frozen = {
            "source": None,
            "report_version": None,
            "submitted_at": None,
            "as_of": None,
            "criteria": None,
            "problems": None,
            "suggestions": None,
        }
        if reported:
            status = row["report_status"]
            frozen.update(
                source="reported",
                report_version=row["report_version"],
                submitted_at=row["submitted_at"],
                criteria=compliance_cache.met(row["reported_met"]),
                problems=row["problems"],
                suggestions=row["suggestions"],
            )
        elif period == open_period:
            status = row["report_status"] or "missing"
            if row["cache_met"] is not None:
                met = compliance_cache.met(row["cache_met"])
            else:
                result = checklist.compliance(db, row["lao_id"])
                met = [c["met"] for c in result["criteria"]]
                computed.append((row["lao_id"], prog.year_be, row["stamp"], row["global_stamp"], met, result))
            frozen.update(source="live", as_of=today.isoformat(), criteria=met)
        else:
            status = "missing"
        late = days_late(the_period, row["first_days_late"] if reported else None, today, days)
        laos.append(
            {
                "lao_id": row["lao_id"],
                "name": lao_full_name(row["kind"], row["name"]),
                "district_code": row["district_code"],
                "district": district_display_name(row["district_kind"], row["district_name"]),
                "province_code": row["province_code"],
                "province": row["province_name"],
                **frozen,
                "all_met": bool(frozen["criteria"]) and all(frozen["criteria"]),
                "report_status": status,
                "report_status_th": STATUS_TH[status] if frozen["source"] else NOT_REPORTED_TH,
                "late": late > 0,
                "days_late": late,
            }
        )
    compliance_cache.store(db, computed)
    return {
        "programme_year": prog.year_be,
        "period": period,
        "period_label": the_period.label(),
        "open_period": open_period,
        "province_code": province_code,
        "district_code": district_code,
        **_totals(laos),
        "laos": laos,
    }


def _totals(laos: list[dict]) -> dict:
    """The totals of roll-up rows: each a sum over the rows (an LAO without figures
    meets nothing)."""
    selected = len(laos)
    passing = sum(1 for lao in laos if lao["all_met"])
    count = criteria.COUNT
    criteria_of = [lao["criteria"] or [False] * count for lao in laos]
    return {
        "selected": selected,
        "passing": passing,
        "kpi_percent": kpi_text(passing, selected),
        "criteria_met": [sum(1 for met in criteria_of if met[i]) for i in range(count)],
        "funnel": [sum(1 for met in criteria_of if all(met[: i + 1])) for i in range(count)],
        "sources": {
            source or "missing": sum(1 for lao in laos if lao["source"] == source)
            for source in ("reported", "live", None)
        },
        "reports": {
            status: sum(1 for lao in laos if lao["report_status"] == status)
            for status in ("missing", "draft", "submitted", "acknowledged", "returned")
        },
        "late": sum(1 for lao in laos if lao["late"]),
    }


def group_rollup(result: dict, key: str) -> list[dict]:
    """Rows of a roll-up summed by district or province (each group's numbers add up)."""
    groups: dict[str, list[dict]] = {}
    names: dict[str, str] = {}
    for lao in result["laos"]:
        groups.setdefault(lao[f"{key}_code"], []).append(lao)
        names[lao[f"{key}_code"]] = lao[key]
    return [{"code": code, "name": names[code], **_totals(rows)} for code, rows in groups.items()]


def summary_document(
    db,
    level: str,
    code: str,
    period: int | None,
    fmt: str,
    today: _dt.date | None = None,
    year: int | None = None,
    compiler: dict | None = None,
) -> tuple[bytes, str]:
    """`district-summary` or `province-summary` of a period (of programme year ``year``,
    default the open one), from the roll-up."""
    kind = f"{level}-summary"
    context, period_number = summary_context(db, level, code, period, today, year, compiler)
    return engine.render(kind, context, fmt), f"{kind}-{code}-{period_number}.{fmt}"


def summary_context(
    db,
    level: str,
    code: str,
    period: int | None,
    today: _dt.date | None = None,
    year: int | None = None,
    compiler: dict | None = None,
) -> tuple[dict, int]:
    """The context of a district or province summary, and the period it is of (the
    current one when ``period`` is None), dated today and signed by ``compiler`` (name
    and position; dotted lines when None). NotFound for a district or province there is not."""
    today = today or clock.today()
    area = geography.district(db, code) if level == "district" else geography.province(db, code)
    if area is None:
        raise NotFound(code)
    if level == "district":
        result = rollup(db, district_code=code, period=period, today=today, year=year)
        title = f"{district_display_name(area['kind'], area['name_th'])} จังหวัด{area['province_name']}"
    else:
        result = rollup(db, province_code=code, period=period, today=today, year=year)
        title = f"จังหวัด{area['name_th']}"
    rows = [
        {
            "name": lao["name"],
            "place": lao["district"],
            "criteria": lao["criteria"],
            "report": " ".join(filter(None, (lao["report_status_th"], _source_text(lao), late_text(lao["days_late"])))),
            "problems": lao["problems"],
            "suggestions": lao["suggestions"],
            "version": lao["report_version"],
        }
        for lao in result["laos"]
    ]
    the_period = report_store.period(db, result["period"], result["programme_year"])
    result = {**result, "period_text": doc_context.period_text(the_period)}
    context = doc_context.summary_context(f"{level}-summary", title, result, rows, as_of=today, compiler=compiler)
    return context, result["period"]


def _source_text(lao: dict) -> str:
    """Where a document row's figures come from: the version sent, or today's data."""
    if lao["source"] == "reported":
        return f"(ฉบับที่ {lao['report_version']} ส่งเมื่อ {doc_context.date_text(thai.local_date(lao['submitted_at']))})"
    if lao["source"] == "live":
        return f"(ข้อมูล ณ วันที่ {doc_context.date_text(_dt.date.fromisoformat(lao['as_of']))})"
    return ""


def national_summary_context(
    db,
    period: int | None,
    today: _dt.date | None = None,
    year: int | None = None,
    compiler: dict | None = None,
) -> tuple[dict, int]:
    """The context of the national summary of a period (of programme year ``year``,
    default the open one), and the period it is of: the roll-up of every model LAO (as
    reported in a period gone by: ``rollup``), by province, and the problems and
    suggestions of the versions they sent grouped by theme (``domain.themes``)."""
    today = today or clock.today()
    result = rollup(db, period=period, today=today, year=year)
    provinces = sorted(group_rollup(result, "province"), key=lambda p: p["code"])
    # what the LAOs wrote in the version they sent (a live row has no report to quote)
    statements = [
        (lao["name"], lao["problems"], lao["suggestions"]) for lao in result["laos"] if lao["source"] == "reported"
    ]
    the_period = report_store.period(db, result["period"], result["programme_year"])
    context = doc_context.national_summary_context(
        result,
        provinces,
        themes.group(statements),
        as_of=today,
        period_text_=doc_context.period_text(the_period),
        upper_levels=doc_context.chain_sentences(chain.status(db, result["period"], result["programme_year"], today)),
        compiler=compiler,
    )
    return context, result["period"]


# for the district report (services.district_reports), which compiles the same rows
totals = _totals
source_text = _source_text
