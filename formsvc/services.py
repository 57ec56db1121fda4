"""Service functions shared by the web pages and the CLI.

They gather data from the store, build document contexts and render: the one place
where store and documents meet, so a route handler or a command stays one call.
"""

from __future__ import annotations

import datetime as _dt
import hashlib

from formsvc.documents import context as doc_context
from formsvc.documents import emblem as emblem_check
from formsvc.documents import engine
from formsvc.domain import clock, criteria, thai
from formsvc.domain.clock import now_iso
from formsvc.domain.errors import NotFound
from formsvc.domain.forums import ORGANISERS
from formsvc.domain.model import ORDINANCE
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import reports as report_store
from formsvc.store import working_group as wg_store
from formsvc.store.db import one

DOCUMENT_KINDS = ("order", "operation-plan", "minutes", "sign-in-sheet", "project-list", "report", "cover-memo")
FORUM_KINDS = ("minutes", "sign-in-sheet")
FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


# Emblems ------------------------------------------------------------------------------


def emblem(db, lao_id: int) -> dict | None:
    return one(
        db,
        "SELECT lao_id, mime, content, png, width_px, height_px, sha256, uploaded_at FROM lao_emblem WHERE lao_id = ?",
        [lao_id],
    )


def save_emblem(db, lao_id: int, data: bytes, user_id: int | None) -> None:
    checked = emblem_check.check(data)
    with db.atomic():
        db.execute(
            "INSERT INTO lao_emblem (lao_id, mime, content, png, width_px, height_px, sha256, uploaded_by,"
            " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(lao_id) DO UPDATE SET"
            " mime = excluded.mime, content = excluded.content, png = excluded.png,"
            " width_px = excluded.width_px, height_px = excluded.height_px, sha256 = excluded.sha256,"
            " uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
            (
                lao_id,
                checked.mime,
                checked.content,
                checked.png,
                checked.width,
                checked.height,
                hashlib.sha256(checked.content).hexdigest(),
                user_id,
                now_iso(),
            ),
        )


def _emblem_png(db, lao_id: int) -> bytes | None:
    row = emblem(db, lao_id)
    return row["png"] if row else None


# Orders -------------------------------------------------------------------------------


def _facts_from_group(group: dict, order_date: _dt.date, effective_date: _dt.date) -> dict:
    return {
        "number": None,
        "year_be": None,
        "order_date": order_date.isoformat(),
        "effective_date": effective_date.isoformat(),
        "replaces": None,
        "group": {k: group[k] for k in ("reason", "duties", "signer_name", "signer_position")},
        "members": group["members"],
    }


def order_renderer(db, lao_id: int):
    lao = lao_store.get_lao(db, lao_id)
    png = _emblem_png(db, lao_id)

    def render(facts: dict) -> dict[str, bytes]:
        context = doc_context.order_context(lao, facts, png)
        return {"docx": engine.render_docx("order", context), "pdf": engine.render_pdf("order", context)}

    return render


def issue_order(
    db,
    lao_id: int,
    order_date: _dt.date,
    effective_date: _dt.date | None,
    user_id: int | None,
    number: int | None = None,
) -> dict:
    year = programme_store.get_programme(db).year_be
    return wg_store.issue_order(
        db, lao_id, year, order_date, effective_date or order_date, user_id, order_renderer(db, lao_id), number
    )


def draft_order(db, lao_id: int, fmt: str, order_date: _dt.date | None = None) -> bytes:
    """The order as it would be issued now: no number, a ร่าง watermark on the PDF."""
    year = programme_store.get_programme(db).year_be
    group = wg_store.get_group(db, lao_id, year)
    lao = lao_store.get_lao(db, lao_id)
    day = order_date or clock.today()
    context = doc_context.order_context(lao, _facts_from_group(group, day, day), _emblem_png(db, lao_id), draft=True)
    return engine.render("order", context, fmt, draft=True)


def document(
    db,
    lao_id: int,
    kind: str,
    fmt: str,
    *,
    draft: bool = False,
    forum_id: int | None = None,
    rows: int | None = None,
    period: int | None = None,
) -> tuple[bytes, str]:
    """(bytes, file name) of a document of the LAO.

    The order is the archived bytes of the current issued order, unless there is none
    or ``draft`` is asked for; every other kind is rendered from the data as it is.
    Minutes and sign-in sheets are of one forum (``forum_id``); a sign-in sheet has
    ``rows`` lines in all (the expected members first).
    """
    if kind not in DOCUMENT_KINDS or fmt not in FORMATS:
        raise NotFound(kind)
    year = programme_store.get_programme(db).year_be
    if kind in ("report", "cover-memo"):
        if period is None:
            raise NotFound(kind)
        if kind == "cover-memo":
            return cover_memo(db, lao_id, period, fmt)
        return report_document(db, lao_id, period, fmt)
    if kind in FORUM_KINDS:
        if forum_id is None:
            raise NotFound(kind)
        forum = forum_store.get_forum(db, lao_id, forum_id)
        lao = lao_store.get_lao(db, lao_id)
        if kind == "minutes":
            context = doc_context.minutes_context(lao, forum, ORGANISERS)
        else:
            count = doc_context.SIGN_IN_ROWS_DEFAULT if rows is None else rows
            count = max(1, min(count, doc_context.SIGN_IN_ROWS_MAX))
            context = doc_context.sign_in_context(lao, forum, count)
        return engine.render(kind, context, fmt), f"{kind}-{forum_id}.{fmt}"
    if kind == "order":
        current = wg_store.current_order(db, lao_id, year)
        if current is not None and not draft:
            row = wg_store.order_document(db, lao_id, current["id"], fmt)
            return row["content"], f"order-{current['number']}-{current['year_be']}.{fmt}"
        return draft_order(db, lao_id, fmt), f"order-draft-{year}.{fmt}"
    lao = lao_store.get_lao(db, lao_id)
    if kind == "project-list":
        c4, c5, issues = criteria_4_and_5(db, lao_id)
        context = doc_context.project_list_context(
            lao, project_store.list_projects(db, lao_id, year), programme_store.get_programme(db), c4, c5, issues
        )
        return engine.render(kind, context, fmt), f"project-list-{year}.{fmt}"
    group = wg_store.get_group(db, lao_id, year)
    context = doc_context.operation_plan_context(lao, group, programme_store.get_programme(db))
    return engine.render(kind, context, fmt), f"operation-plan-{year}.{fmt}"


# Compliance ---------------------------------------------------------------------------


def lao_facts(db, lao_id: int, year: int | None = None, needs=None) -> criteria.LaoFacts:
    """What the criteria read of the LAO in programme year ``year`` (default: the open
    year; a year never opened raises NotFound): the LAO's settings, and the records in
    ``needs`` (default: what the criteria in force need, ``criteria.needs()``)."""
    prog = programme_store.get_programme(db, year)
    year = prog.year_be
    lao = lao_store.get_lao(db, lao_id)
    needs = criteria.needs() if needs is None else needs
    facts = criteria.LaoFacts(
        programme_year=year,
        next_year=prog.next_year_be,
        ordinance=ORDINANCE[lao["kind"]],
        has_kamnan=bool(lao["has_kamnan"]),
        has_coc=bool(lao["has_coc"]),
    )
    if "working_group" in needs:
        group = wg_store.get_group(db, lao_id, year)
        current = wg_store.current_order(db, lao_id, year)
        if current is not None:
            import json

            members = json.loads(current["snapshot"])["members"]
            facts.order = criteria.OrderFacts(f"{current['number']}/{current['year_be']}", current["order_date"])
        else:
            members = group["members"]
        facts.members = [criteria.Member(m["name"], m["position"], m["group_role"], m["category"]) for m in members]
        facts.activities = len(group["activities"])
    if "forums" in needs:
        facts.dimensions = programme_store.dimensions(db, year)
        facts.forums = _forum_facts(db, lao_id, year)
    if "villages" in needs:
        facts.villages = [criteria.VillageFacts(v["id"], v["label"], v["kind"]) for v in lao_store.villages(db, lao_id)]
    if "projects" in needs:
        facts.projects = project_store.facts(project_store.list_projects(db, lao_id, year))
    return facts


def criterion_1(db, lao_id: int, year: int | None = None) -> criteria.CriterionResult:
    return criteria.by_number(1).decide(lao_facts(db, lao_id, year, criteria.by_number(1).needs))


def _forum_facts(db, lao_id: int, year: int) -> list[criteria.ForumFacts]:
    return [
        criteria.ForumFacts(
            f["id"],
            f["level"],
            f["village_id"],
            f["held_on"],
            frozenset(f["organisers"]),
            bool(f["reviews_community_plan"]),
            bool(f["used_bmn"]),
            bool(f["used_village_data"]),
            frozenset(f["dimensions"]),
            f["projects"],
        )
        for f in forum_store.forums(db, lao_id, year)
    ]


def criteria_2_and_3(
    db, lao_id: int, year: int | None = None
) -> tuple[criteria.CriterionResult, criteria.CriterionResult]:
    facts = lao_facts(db, lao_id, year, ("forums", "villages"))
    return criteria.by_number(2).decide(facts), criteria.by_number(3).decide(facts)


def criteria_4_and_5(db, lao_id: int, year: int | None = None):
    facts = lao_facts(db, lao_id, year, ("projects",))
    return (
        criteria.by_number(4).decide(facts),
        criteria.by_number(5).decide(facts),
        criteria.inconsistencies(facts.projects, facts.ordinance),
    )


def compliance_results(db, lao_id: int, year: int | None = None) -> list[criteria.CriterionResult]:
    """The criteria in force (``criteria.CRITERIA``) of the LAO for programme year
    ``year`` (default: the open year), from that year's records (a closed year's as they
    are) and dimensions."""
    return criteria.decide_all(lao_facts(db, lao_id, year))


def compliance(db, lao_id: int, year: int | None = None) -> dict:
    """The compliance JSON (docs/domain.md, "Project import and the compliance JSON"),
    for programme year ``year`` (default: the open year; a year never opened raises
    NotFound)."""
    facts = lao_facts(db, lao_id, year, {*criteria.needs(), "projects"})
    results = criteria.decide_all(facts)
    return {
        "lao_id": lao_id,
        "programme_year": facts.programme_year,
        "all_met": len(results) == criteria.COUNT and all(r.met for r in results),
        "criteria": [r.to_json() for r in results],
        "inconsistencies": criteria.inconsistencies(facts.projects, facts.ordinance),
    }


# Bi-monthly reports --------------------------------------------------------------------


def report_evidence(db, lao_id: int) -> dict[int, list[str]]:
    """What each criterion's status rests on, in words for the report form."""
    prog = programme_store.get_programme(db)
    evidence: dict[int, list[str]] = {c.number: [] for c in criteria.CRITERIA}
    order = wg_store.current_order(db, lao_id, prog.year_be)
    group = wg_store.get_group(db, lao_id, prog.year_be)
    if order:
        evidence[1].append(
            f"คำสั่งที่ {order['number']}/{order['year_be']} ลงวันที่ "
            f"{thai.date_long(_dt.date.fromisoformat(order['order_date']), 'arabic')}"
        )
    evidence[1].append(f"แผนการดำเนินงานร่วมกัน {len(group['activities'])} กิจกรรม")
    forums = forum_store.forums(db, lao_id, prog.year_be)
    for f in forums:
        heads = f["head_count"] if f["head_count"] is not None else f["named"]
        line = f"{thai.date_long(_dt.date.fromisoformat(f['held_on']), 'arabic')} {f['title']} ({heads} คน)"
        evidence[2 if f["level"] == "village" else 3].append(line)
    c4, c5, issues = criteria_4_and_5(db, lao_id)
    evidence[4].append(
        f"บรรจุในแผนพัฒนาท้องถิ่น {c4.numerator} จาก {c4.denominator} โครงการที่อยู่ในอำนาจหน้าที่ "
        f"(ร้อยละ {criteria.percent(c4.numerator, c4.denominator, c4.met):.2f})"
    )
    evidence[5].append(
        f"บรรจุในร่างงบประมาณ {c5.numerator} จาก {c5.denominator} โครงการที่อยู่ในแผน "
        f"(ร้อยละ {criteria.percent(c5.numerator, c5.denominator, c5.met):.2f})"
    )
    return evidence


def report_files(
    db, lao_id: int, report: dict, today: _dt.date, formats=("pdf", "docx"), draft: bool = False
) -> tuple[dict, dict[str, bytes]]:
    """(snapshot, {format: bytes}) of a report as it stands now; ``draft`` marks the PDF
    as not submitted (ร่าง)."""
    prog = programme_store.get_programme(db)
    period = report_store.period(db, report["period"])
    result = compliance(db, lao_id)
    evidence = report_evidence(db, lao_id)
    context = doc_context.report_context(lao_store.get_lao(db, lao_id), report, period, prog, result, evidence, today)
    lao = lao_store.get_lao(db, lao_id)
    snapshot = {
        "compliance": result,
        "evidence": evidence,
        "period": report["period"],
        "progress": report["progress"],
        "problems": report["problems"],
        "suggestions": report["suggestions"],
        # what the cover memo of this version says, so later edits do not change it
        "memo": {
            "lao": {
                k: lao[k] for k in ("kind", "name", "district_label", "province_name", "chief_title", "digit_style")
            },
            "signer_name": wg_store.get_group(db, lao_id, prog.year_be)["signer_name"],
        },
    }
    return snapshot, {fmt: engine.render("report", context, fmt, draft=draft) for fmt in formats}


def submit_report(
    db, lao_id: int, period_number: int, user_id: int | None, today: _dt.date | None = None, at: str | None = None
) -> int:
    today = today or clock.today()
    return report_store.submit(
        db, lao_id, period_number, user_id, today, lambda report: report_files(db, lao_id, report, today), at
    )


def report_document(db, lao_id: int, period_number: int, fmt: str) -> tuple[bytes, str]:
    """The latest submitted version's archived bytes, or the draft rendered now."""
    report = report_store.get_report(db, lao_id, period_number)
    if report["submissions"] and report["status"] in ("submitted", "acknowledged"):
        latest = report_store.submission(db, lao_id, period_number, report["submissions"][0]["number"])
        return latest[fmt], f"report-{period_number}-v{latest['number']}.{fmt}"
    _, files = report_files(db, lao_id, report, clock.today(), (fmt,))
    return files[fmt], f"report-{period_number}-draft.{fmt}"


def cover_memo(db, lao_id: int, period_number: int, fmt: str) -> tuple[bytes, str]:
    """The memo sending a period's report to the district: dated and counted as the
    latest submitted version says (so later edits do not change it), else as of today."""
    import json

    report = report_store.get_report(db, lao_id, period_number)
    prog = programme_store.get_programme(db)
    lao = lao_store.get_lao(db, lao_id)
    signer = wg_store.get_group(db, lao_id, prog.year_be)["signer_name"]
    if report["submissions"]:
        latest = report_store.submission(db, lao_id, period_number, report["submissions"][0]["number"])
        snapshot = json.loads(latest["snapshot"])
        marks = [c["met"] for c in snapshot["compliance"]["criteria"]]
        day = thai.local_date(latest["submitted_at"])
        if "memo" in snapshot:
            lao = {**lao, **snapshot["memo"]["lao"]}
            signer = snapshot["memo"]["signer_name"]
    else:
        marks = [r.met for r in compliance_results(db, lao_id)]
        day = clock.today()
    context = doc_context.cover_memo_context(
        lao, report_store.period(db, period_number), prog, sum(marks), day, signer, _emblem_png(db, lao_id), len(marks)
    )
    return engine.render("cover-memo", context, fmt), f"cover-memo-{period_number}.{fmt}"


# Roll-ups ----------------------------------------------------------------------------------


def current_period(db, today: _dt.date | None = None, year: int | None = None) -> int:
    """The latest reporting period of programme year ``year`` (default: the open year)
    that has started (the first one before the programme)."""
    return report_store.open_period(db, today or clock.today(), year)


def kpi_text(passing: int, selected: int) -> str:
    """passing / selected as a percentage with two decimals, rounded half up exactly."""
    from decimal import ROUND_HALF_UP, Decimal

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

    One query reads every row with its latest and first submitted versions (only the
    parts of the snapshot a row needs, extracted by SQLite) and its cached criteria;
    only live rows whose data changed since their criteria were last computed are
    computed again (and cached).

    ``year`` is a programme year (default: the open year; one never opened raises
    NotFound). A closed year has no open period: each row is as reported or missing."""
    from formsvc.domain.model import district_display_name, lao_full_name
    from formsvc.domain.reports import STATUS_TH, days_late
    from formsvc.store import compliance_cache

    today = today or clock.today()
    prog = programme_store.get_programme(db, year)
    # a closed programme year has no open period: every row is as reported, or missing
    open_period = current_period(db, today, prog.year_be) if prog.year_be == programme_store.open_year(db) else None
    period = period if period is not None else open_period or len(report_store.programme_periods(db, prog.year_be))
    the_period = report_store.period(db, period, prog.year_be)
    days = prog.late_days
    # the LAO that served each district in the period (a replaced LAO keeps its periods)
    where = ["m.programme_year = ?", "m.from_period <= ?", "(m.to_period IS NULL OR m.to_period >= ?)"]
    params = [prog.year_be, period, period]
    if province_code:
        where.append("d.province_code = ?")
        params.append(province_code)
    if district_code:
        where.append("m.district_code = ?")
        params.append(district_code)
    rows = list(
        db.query(
            "SELECT m.lao_id, m.district_code, d.name_th AS district_name, d.kind AS district_kind,"
            " d.province_code, p.name_th AS province_name, r.status AS report_status, l.kind, l.name,"
            " s.number AS report_version, s.submitted_at,"
            " (SELECT json_group_array(json_extract(c.value, '$.met'))"
            "  FROM json_each(s.snapshot, '$.compliance.criteria') c) AS reported_met,"
            " json_extract(s.snapshot, '$.problems') AS problems,"
            " json_extract(s.snapshot, '$.suggestions') AS suggestions,"
            " first.days_late AS first_days_late,"
            + compliance_cache.FRESH_COLUMNS
            + " FROM model_lao_term m JOIN lao l ON l.id = m.lao_id JOIN district d ON d.code = m.district_code"
            " JOIN province p ON p.code = d.province_code"
            " LEFT JOIN report r ON r.lao_id = m.lao_id AND r.programme_year = m.programme_year AND r.period = ?"
            " LEFT JOIN report_submission s ON s.report_id = r.id AND s.number = r.submitted_count"
            " LEFT JOIN report_submission first ON first.report_id = r.id AND first.number = 1"
            + compliance_cache.fresh_join("m.lao_id", "m.programme_year")
            + f" WHERE {' AND '.join(where)} ORDER BY d.province_code, m.district_code",
            [period, *params],
        )
    )
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
                result = compliance(db, row["lao_id"])
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
    db, level: str, code: str, period: int | None, fmt: str, today: _dt.date | None = None, year: int | None = None
) -> tuple[bytes, str]:
    """`district-summary` or `province-summary` of a period (of programme year ``year``,
    default the open one), from the roll-up."""
    from formsvc.domain.model import district_display_name
    from formsvc.store import geography

    if level == "district":
        area = geography.district(db, code)
        result = rollup(db, district_code=code, period=period, today=today, year=year)
        title = f"{district_display_name(area['kind'], area['name_th'])} จังหวัด{area['province_name']}"
    else:
        area = geography.province(db, code)
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
    kind = f"{level}-summary"
    context = doc_context.summary_context(kind, title, result, rows)
    return engine.render(kind, context, fmt), f"{kind}-{code}-{result['period']}.{fmt}"


def _source_text(lao: dict) -> str:
    """Where a document row's figures come from: the version sent, or today's data."""
    if lao["source"] == "reported":
        return f"(ฉบับที่ {lao['report_version']} ส่งเมื่อ {thai.date_long(thai.local_date(lao['submitted_at']), 'arabic')})"
    if lao["source"] == "live":
        return f"(ข้อมูล ณ วันที่ {thai.date_long(_dt.date.fromisoformat(lao['as_of']), 'arabic')})"
    return ""


# Certificates --------------------------------------------------------------------------


def issue_certificate(
    db,
    lao_id: int,
    role: str,
    user_id: int | None,
    signer_name: str,
    signer_position: str,
    issued_on: _dt.date | None = None,
) -> None:
    """Issue and archive a เกียรติบัตร, only for a model LAO that meets every criterion."""
    import hashlib

    from formsvc.domain.errors import InputError

    signer_name, signer_position = (signer_name or "").strip(), (signer_position or "").strip()
    if not signer_name or not signer_position:
        raise InputError("กรุณากรอกชื่อและตำแหน่งผู้ลงนาม", "signer_name")
    if len(signer_name) > 120 or len(signer_position) > 200:
        raise InputError("ชื่อหรือตำแหน่งผู้ลงนามยาวเกินกำหนด", "signer_name")
    _refuse_certificate(db, lao_id)
    lao = lao_store.get_lao(db, lao_id)
    issuer = f"จังหวัด{lao['province_name']}" if role == "province" else "กระทรวงมหาดไทย"
    context = doc_context.certificate_context(
        lao, programme_store.get_programme(db), issuer, signer_name, signer_position, issued_on or clock.today()
    )
    files = {"pdf": engine.render_pdf("certificate", context), "docx": engine.render_docx("certificate", context)}
    from formsvc.domain.clock import now_iso

    with db.atomic():
        for fmt, content in files.items():
            db.execute(
                "INSERT INTO issued_document (lao_id, kind, format, sha256, size, content, created_by,"
                " created_at) VALUES (?, 'certificate', ?, ?, ?, ?, ?, ?)",
                [lao_id, fmt, hashlib.sha256(content).hexdigest(), len(content), content, user_id, now_iso()],
            )


def _refuse_certificate(db, lao_id: int) -> None:
    """A certificate goes only to the year's model LAO (not one replaced during the year)
    whose latest reported snapshot meets every criterion: what the LAO reported, not
    today's data."""
    import json

    from formsvc.domain.errors import InputError

    lao_store.get_lao(db, lao_id)
    year = programme_store.get_programme(db).year_be
    if not one(
        db, "SELECT 1 FROM model_lao_term WHERE lao_id = ? AND programme_year = ? AND to_period IS NULL", [lao_id, year]
    ):
        raise InputError(
            f"ออกเกียรติบัตรได้เฉพาะ อปท.ต้นแบบ ของปี {year} (อปท. นี้ไม่ได้เป็น อปท.ต้นแบบ หรือถูกเปลี่ยนเป็น อปท. อื่นแล้ว)", "lao"
        )
    latest = one(
        db,
        "SELECT r.period, s.number, s.snapshot FROM report r JOIN report_submission s"
        " ON s.report_id = r.id AND s.number = r.submitted_count WHERE r.lao_id = ? AND"
        " r.programme_year = ? ORDER BY r.period DESC LIMIT 1",
        [lao_id, year],
    )
    if latest is None:
        raise InputError("ออกเกียรติบัตรตามผลที่ อปท. รายงาน: อปท. นี้ยังไม่เคยส่งรายงานในปีนี้", "lao")
    criteria_met = json.loads(latest["snapshot"])["compliance"]["criteria"]
    missing = ", ".join(str(c["number"]) for c in criteria_met if not c["met"])
    if missing:
        raise InputError(
            f"ออกเกียรติบัตรได้เฉพาะ อปท. ที่ผ่านเกณฑ์ครบ {criteria.COUNT} ข้อ ตามรายงานที่ส่งล่าสุด "
            f"(รอบที่ {latest['period']} ฉบับที่ {latest['number']} ยังไม่ผ่านข้อ {missing})",
            "lao",
        )


def certificate(db, lao_id: int, fmt: str) -> bytes:
    from formsvc.store.db import one

    row = one(
        db,
        "SELECT content FROM issued_document WHERE lao_id = ? AND kind = 'certificate' AND format = ?"
        " ORDER BY id DESC LIMIT 1",
        [lao_id, fmt],
    )
    if row is None:
        raise NotFound(lao_id)
    return row["content"]
