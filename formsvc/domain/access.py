"""Who may see and change what: roles and their data scopes (docs/domain.md, 'Roles').

Pure rules over plain values, so the web layer and the CLI ask the same questions.
A clerk sees one LAO; a facilitator and a district user the LAOs of one district; a
province user one province; national and admin users everything (national read-only).
A facilitator sees only the forums, villages and checklist of its district's LAOs: not
their working groups, orders, operation plans, project lists or reports, nor the
district's roll-up of those reports.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("lao_clerk", "facilitator", "district", "province", "national", "admin")
ROLE_LABELS_TH = {
    "lao_clerk": "เจ้าหน้าที่ อปท.",
    "facilitator": "วิทยากรกระบวนการ",
    "district": "อำเภอ (สถ.อ./พช.อ.)",
    "province": "จังหวัด (สถ.จ./พช.จ.)",
    "national": "ส่วนกลาง (สถ./สนผ.มท.)",
    "admin": "ผู้ดูแลระบบ",
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user as access rules see it."""

    id: int
    role: str
    lao_id: int | None = None
    district_code: str | None = None
    province_code: str | None = None


@dataclass(frozen=True)
class LaoScope:
    """Where an LAO sits, which is all the rules need to know of it."""

    id: int
    district_code: str
    province_code: str


def can_view_lao(user: Principal, lao: LaoScope) -> bool:
    if user.role in ("admin", "national"):
        return True
    if user.role == "lao_clerk":
        return user.lao_id == lao.id
    if user.role in ("facilitator", "district"):
        return user.district_code == lao.district_code
    if user.role == "province":
        return user.province_code == lao.province_code
    return False


def can_view_lao_records(user: Principal, lao: LaoScope) -> bool:
    """The working group, its orders, the operation plan, the project list and the
    reports: everyone who sees the LAO except its facilitators (docs/domain.md, 'Roles':
    they see forums, villages and the checklist summary only)."""
    return user.role != "facilitator" and can_view_lao(user, lao)


# documents of an LAO that belong to its forums: a facilitator may download these


def can_view_lao_document(user: Principal, lao: LaoScope, of_forum: bool) -> bool:
    """A document of the LAO: documents of a forum (minutes, sign-in sheets) to all who
    see the LAO, the rest (orders, plans, project lists, reports, memos) to those who
    see its records."""
    if of_forum:
        return can_view_lao(user, lao)
    return can_view_lao_records(user, lao)


def can_edit_lao(user: Principal, lao: LaoScope) -> bool:
    """LAO details and villages: its own clerk, its district office, admins."""
    if user.role == "admin":
        return True
    if user.role == "lao_clerk":
        return user.lao_id == lao.id
    if user.role == "district":
        return user.district_code == lao.district_code
    return False


def can_keep_lao_records(user: Principal, lao: LaoScope) -> bool:
    """The working group, its orders and the operation plan: the LAO's own clerk (and
    admins, for support). District offices see and download them but do not issue the
    LAO's orders (docs/domain.md, 'Roles': they select, review and acknowledge)."""
    if user.role == "admin":
        return True
    return user.role == "lao_clerk" and user.lao_id == lao.id


def can_record_forums(user: Principal, lao: LaoScope) -> bool:
    """Forums: the facilitators of the LAO's district and the LAO's own clerk (and admins)."""
    if user.role == "admin":
        return True
    if user.role == "facilitator":
        return user.district_code == lao.district_code
    return user.role == "lao_clerk" and user.lao_id == lao.id


def can_review_reports(user: Principal, lao: LaoScope) -> bool:
    """Acknowledge or return an LAO's report: its district office (and admins)."""
    return user.role == "admin" or (user.role == "district" and user.district_code == lao.district_code)


def can_issue_certificate(user: Principal, lao: LaoScope) -> bool:
    """เกียรติบัตร (guideline §10): the Ministry issues them, that is national users and
    admins (docs/domain.md, 'Recognition')."""
    return user.role in ("admin", "national")


def can_create_lao(user: Principal, district_code: str) -> bool:
    return user.role == "admin" or (user.role == "district" and user.district_code == district_code)


def can_view_district(user: Principal, district_code: str, province_code: str) -> bool:
    """The district's roll-up of its LAOs' reports (and its summary): not facilitators."""
    if user.role in ("admin", "national"):
        return True
    if user.role == "district":
        return user.district_code == district_code
    if user.role == "province":
        return user.province_code == province_code
    return False


def can_select_model_lao(user: Principal, district_code: str) -> bool:
    return user.role == "admin" or (user.role == "district" and user.district_code == district_code)


def can_compile_district_report(user: Principal, district_code: str) -> bool:
    """Write and submit a district's report to the province: its district office (and admins)."""
    return user.role == "admin" or (user.role == "district" and user.district_code == district_code)


def can_review_district_report(user: Principal, province_code: str) -> bool:
    """Acknowledge or return a district report: the district's province office (and admins)."""
    return user.role == "admin" or (user.role == "province" and user.province_code == province_code)


def can_view_province(user: Principal, province_code: str) -> bool:
    if user.role in ("admin", "national"):
        return True
    return user.role == "province" and user.province_code == province_code


def can_compile_province_report(user: Principal, province_code: str) -> bool:
    """Write and submit a province's report to the DLA: its province office (and admins)."""
    return user.role == "admin" or (user.role == "province" and user.province_code == province_code)


def can_review_province_report(user: Principal) -> bool:
    """Acknowledge or return a province report: national users (and admins)."""
    return user.role in ("admin", "national")


def can_view_national(user: Principal) -> bool:
    return user.role in ("admin", "national")


def can_view_audit_log(user: Principal) -> bool:
    """The audit log: admins (all of it) and district offices (their LAOs' entries)."""
    return user.role in ("admin", "district")


def audit_log_district(user: Principal) -> str | None:
    """The district whose LAOs' entries the user sees in the audit log; None: every
    entry (admins). Only meaningful when ``can_view_audit_log``."""
    return None if user.role == "admin" else user.district_code


def is_admin(user: Principal) -> bool:
    return user.role == "admin"


def can_export_reports(user: Principal, province_code: str | None) -> bool:
    """A ZIP of a period's report forms: a province office for its own province,
    national and admin users for any province or (``None``) the whole country."""
    if user.role in ("admin", "national"):
        return True
    return user.role == "province" and province_code is not None and user.province_code == province_code


def can_view_visits(user: Principal, lao: LaoScope) -> bool:
    """Monitoring visits (guideline §7.2) of an LAO: everyone who sees its records (its
    own clerk and national users read only); not its facilitators."""
    return can_view_lao_records(user, lao)


def can_record_visits(user: Principal, lao: LaoScope) -> bool:
    """Record, change and delete monitoring visits: the province office for the LAOs of
    its province, the district office for those of its district, and admins."""
    if user.role == "admin":
        return True
    if user.role == "province":
        return user.province_code == lao.province_code
    if user.role == "district":
        return user.district_code == lao.district_code
    return False


def visit_office(user: Principal) -> str:
    """Which office a visit recorded by ``user`` is of: the district office's own, else
    the province's (admins record for the province)."""
    return "district" if user.role == "district" else "province"


def can_view_meetings(user: Principal, lao: LaoScope) -> bool:
    """Meetings of the LAO's working group (guideline §4.1(4)) and their minutes: everyone
    who sees the LAO (the facilitators of its district record them)."""
    return can_view_lao(user, lao)


def can_record_meetings(user: Principal, lao: LaoScope) -> bool:
    """Record, change and delete the working group's meetings: as forums, the
    facilitators of the LAO's district and the LAO's own clerk (and admins)."""
    return can_record_forums(user, lao)
