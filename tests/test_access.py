"""Every route × every role → the expected status.

A route that is missing from the table fails ``test_every_route_is_in_the_table``, so a
new route cannot ship without its access rules being stated here.

Working-group records (the group, its orders, the operation plan, the emblem) are kept
by the LAO's own clerk (and admins); the district office sees and downloads them.
Forums are recorded by the district's facilitators and the LAO's clerk (and admins),
and so are the working group's meetings (their minutes downloaded by all who see the LAO).
A facilitator sees forums, villages and the checklist of its district's LAOs only: their
working groups, orders, operation plans, project lists, reports and the documents made
from them, and the district's roll-up and summary, answer 404 to it, as if they did not
exist; minutes and sign-in sheets it downloads.
Certificates are issued by national users and admins only (others who see the LAO: 403).
Monitoring visits are recorded by the province and district offices in their scope (and
admins); the LAO's clerk and national users read them; facilitators do not see them.
Demo forums: LAO 1 has 1–8 (villages) and 9 (LAO level); LAO 3 has 10–15.
Projects (the list) are kept by the LAO's clerk; demo LAO 1 has projects 1–12, LAO 3 13–24.
Demo period-1 reports: LAO 1 submitted (waiting for the district), LAO 3 acknowledged.
The audit log: admins see every entry, district offices those of their district's LAOs.

Demo scopes: clerk → LAO 1 (district 3701, province 37); facilitator and district →
district 3701; province → 37. LAO 3 is in district 3702 of the same province; LAO 9 and
district 3801 are in another province.
"""

from __future__ import annotations

import pytest

from tests.conftest import YEAR, login
from tests.test_model_lao_selection import selection_form

ROLES = ("anon", "lao_clerk", "facilitator", "district", "province", "national", "admin")
USERNAMES = {
    "lao_clerk": "clerk",
    "facilitator": "facilitator",
    "district": "district",
    "province": "province",
    "national": "national",
    "admin": "admin",
}

# (endpoint, method, url, form data, statuses in ROLES order)
TABLE = [
    ("static", "GET", "/static/app.css", None, "200 200 200 200 200 200 200"),
    ("font", "GET", "/fonts/Sarabun-Regular.ttf", None, "200 200 200 200 200 200 200"),
    ("font", "GET", "/fonts/..%2Fsecret_key", None, "404 404 404 404 404 404 404"),
    ("healthz", "GET", "/healthz", None, "200 200 200 200 200 200 200"),
    ("favicon", "GET", "/favicon.ico", None, "204 204 204 204 204 204 204"),
    ("auth.login", "GET", "/login", None, "200 302 302 302 302 302 302"),
    ("auth.login", "POST", "/login", {}, "400 400 400 400 400 400 400"),
    ("auth.logout", "POST", "/logout", {}, "302 302 302 302 302 302 302"),
    ("auth.language", "POST", "/language", {"locale": "en"}, "302 302 302 302 302 302 302"),
    ("auth.account", "GET", "/account", None, "302 200 200 200 200 200 200"),
    ("auth.account", "POST", "/account", {}, "302 400 400 400 400 400 400"),
    ("auth.change_password", "GET", "/account/password", None, "302 200 200 200 200 200 200"),
    ("auth.change_password", "POST", "/account/password", {}, "302 400 400 400 400 400 400"),
    ("auth.email", "GET", "/account/email", None, "302 200 200 200 200 200 200"),
    ("auth.email", "POST", "/account/email", {"email": "x@"}, "302 400 400 400 400 400 400"),
    ("dashboards.home", "GET", "/", None, "302 302 302 302 302 302 302"),
    ("dashboards.district", "GET", "/districts/3701", None, "302 404 404 200 200 200 200"),
    ("dashboards.district", "GET", "/districts/3702", None, "302 404 404 404 200 200 200"),
    ("dashboards.district", "GET", "/districts/3801", None, "302 404 404 404 404 200 200"),
    # district reports: the district office writes and submits its own; the province office
    # of its province reviews; national and admin users see every one (a draft saved first)
    ("district_reports.report", "GET", "/districts/3701/reports/3", None, "302 404 404 200 200 200 200"),
    ("district_reports.report", "GET", "/districts/3702/reports/3", None, "302 404 404 404 200 200 200"),
    ("district_reports.report", "GET", "/districts/3801/reports/3", None, "302 404 404 404 404 200 200"),
    ("district_reports.report", "GET", "/districts/3701/reports/99", None, "302 404 404 404 404 404 404"),
    ("district_reports.report", "POST", "/districts/3702/reports/3", {}, "302 404 404 404 403 403 302"),
    ("district_reports.report", "POST", "/districts/3701/reports/3", {}, "302 404 404 302 403 403 302"),
    ("district_reports.submit", "GET", "/districts/3701/reports/3/submit", None, "302 404 404 200 403 403 200"),
    ("district_reports.submit", "POST", "/districts/3701/reports/3/submit", {}, "302 404 404 400 403 403 400"),
    ("district_reports.review", "POST", "/districts/3701/reports/3/review", {}, "302 404 404 403 400 403 400"),
    ("district_reports.review", "POST", "/districts/3801/reports/3/review", {}, "302 404 404 404 404 403 400"),
    ("district_reports.document", "GET", "/districts/3701/reports/3/report.pdf", None, "302 404 404 200 200 200 200"),
    ("district_reports.document", "GET", "/districts/3702/reports/3/report.docx", None, "302 404 404 404 200 200 200"),
    (
        "district_reports.submitted_file",
        "GET",
        "/districts/3701/reports/3/v1.pdf",
        None,
        "302 404 404 404 404 404 404",
    ),
    # province reports: the province office writes and submits its own; national users
    # review; admins do everything; nobody below the province sees one
    ("province_reports.report", "GET", "/provinces/37/reports/3", None, "302 404 404 404 200 200 200"),
    ("province_reports.report", "GET", "/provinces/38/reports/3", None, "302 404 404 404 404 200 200"),
    ("province_reports.report", "GET", "/provinces/37/reports/99", None, "302 404 404 404 404 404 404"),
    ("province_reports.report", "GET", "/provinces/00/reports/3", None, "302 404 404 404 404 404 404"),
    ("province_reports.report", "POST", "/provinces/37/reports/3", {}, "302 404 404 404 302 403 302"),
    ("province_reports.report", "POST", "/provinces/38/reports/3", {}, "302 404 404 404 404 403 302"),
    ("province_reports.submit", "GET", "/provinces/37/reports/3/submit", None, "302 404 404 404 200 403 200"),
    ("province_reports.submit", "POST", "/provinces/37/reports/3/submit", {}, "302 404 404 404 400 403 400"),
    ("province_reports.review", "POST", "/provinces/37/reports/3/review", {}, "302 404 404 404 403 400 400"),
    ("province_reports.document", "GET", "/provinces/37/reports/3/report.pdf", None, "302 404 404 404 200 200 200"),
    ("province_reports.document", "GET", "/provinces/38/reports/3/report.docx", None, "302 404 404 404 404 200 200"),
    ("province_reports.memo", "GET", "/provinces/37/reports/3/memo.pdf", None, "302 404 404 404 200 200 200"),
    ("district_reports.memo", "GET", "/districts/3701/reports/3/memo.docx", None, "302 404 404 200 200 200 200"),
    ("district_reports.memo", "GET", "/districts/3801/reports/3/memo.pdf", None, "302 404 404 404 404 200 200"),
    ("province_reports.submitted_file", "GET", "/provinces/37/reports/3/v1.pdf", None, "302 404 404 404 404 404 404"),
    # versions the demo sent: the sender's office and those above it
    ("province_reports.submitted_file", "GET", "/provinces/37/reports/1/v2.pdf", None, "302 404 404 404 200 200 200"),
    (
        "district_reports.submitted_file",
        "GET",
        "/districts/3702/reports/1/v1.docx",
        None,
        "302 404 404 404 200 200 200",
    ),
    ("dashboards.district", "GET", "/districts/0000", None, "302 404 404 404 404 404 404"),
    (
        "dashboards.select_model",
        "POST",
        "/districts/3701/model-lao",
        {"lao_id": "2", "version": "1", **selection_form()},
        "302 404 404 302 403 403 302",
    ),
    (
        "dashboards.select_model",
        "POST",
        "/districts/3702/model-lao",
        {"lao_id": "4", "version": "1", **selection_form()},
        "302 404 404 404 403 403 302",
    ),
    ("dashboards.province", "GET", "/provinces/37", None, "302 404 404 404 200 200 200"),
    ("dashboards.district_summary", "GET", "/districts/3701/summary.pdf?period=1", None, "302 404 404 200 200 200 200"),
    ("dashboards.district_summary", "GET", "/districts/3702/summary.docx", None, "302 404 404 404 200 200 200"),
    ("dashboards.province_summary", "GET", "/provinces/37/summary.pdf?period=1", None, "302 404 404 404 200 200 200"),
    ("dashboards.province_summary", "GET", "/provinces/38/summary.docx", None, "302 404 404 404 404 200 200"),
    ("dashboards.province_summary", "GET", "/provinces/99/summary.pdf", None, "302 404 404 404 404 404 404"),
    ("dashboards.province", "GET", "/provinces/38", None, "302 404 404 404 404 200 200"),
    ("dashboards.national", "GET", "/national", None, "302 404 404 404 404 200 200"),
    ("dashboards.national_summary", "GET", "/national/summary.pdf?period=1", None, "302 403 403 403 403 200 200"),
    ("dashboards.national_summary", "GET", "/national/summary.docx", None, "302 403 403 403 403 200 200"),
    ("laos.index", "GET", "/laos", None, "302 200 200 200 200 200 200"),
    ("laos.checklist", "GET", "/laos/1", None, "302 200 200 200 200 200 200"),
    ("laos.checklist", "GET", "/laos/3", None, "302 404 404 404 200 200 200"),
    ("laos.checklist", "GET", "/laos/9", None, "302 404 404 404 404 200 200"),
    ("laos.checklist", "GET", "/laos/999", None, "302 404 404 404 404 404 404"),
    # the admin replaced LAO 1 as model LAO above (select_model): no certificate for it then
    (
        "laos.issue_certificate",
        "POST",
        "/laos/1/certificate",
        {"signer_name": "ก", "signer_position": "ข"},
        "302 403 403 403 403 302 303",
    ),
    (
        "laos.issue_certificate",
        "POST",
        "/laos/9/certificate",
        {"signer_name": "ก", "signer_position": "ข"},
        "302 404 404 404 404 303 303",
    ),
    ("laos.certificate_file", "GET", "/laos/3/certificate.pdf", None, "302 404 404 404 404 404 404"),
    # only the national user's certificate of LAO 1 (above) exists: it is certificate 1
    ("laos.certificate_archive", "GET", "/laos/1/certificates/1.pdf", None, "302 404 404 404 404 200 404"),
    ("laos.certificate_archive", "GET", "/laos/9/certificates/1.docx", None, "302 404 404 404 404 404 404"),
    ("laos.create", "GET", "/laos/new", None, "302 403 403 200 403 403 200"),
    ("laos.create", "POST", "/laos/new", {}, "302 403 403 400 403 403 400"),
    ("laos.edit", "GET", "/laos/1/edit", None, "302 200 403 200 403 403 200"),
    ("laos.edit", "GET", "/laos/3/edit", None, "302 404 404 404 403 403 200"),
    ("laos.edit", "POST", "/laos/1/edit", {}, "302 400 403 400 403 403 400"),
    ("laos.villages", "GET", "/laos/1/villages", None, "302 200 200 200 200 200 200"),
    ("laos.villages", "GET", "/laos/3/villages", None, "302 404 404 404 200 200 200"),
    ("laos.villages", "POST", "/laos/1/villages", {}, "302 400 403 400 403 403 400"),
    ("laos.villages", "POST", "/laos/3/villages", {}, "302 404 404 404 403 403 400"),
    ("laos.village", "GET", "/laos/1/villages/1", None, "302 200 403 200 403 403 200"),
    ("laos.village", "GET", "/laos/1/villages/9", None, "302 404 403 404 403 403 404"),
    ("laos.village", "GET", "/laos/3/villages/14", None, "302 404 404 404 403 403 200"),
    ("laos.village", "POST", "/laos/1/villages/1", {}, "302 400 403 400 403 403 400"),
    ("laos.delete_village", "POST", "/laos/1/villages/2/delete", {}, "302 302 403 302 403 403 302"),
    ("laos.delete_village", "POST", "/laos/3/villages/14/delete", {}, "302 404 404 404 403 403 302"),
    # recently deleted: the LAO's clerk and admins (who keep its records); no such entry: 404
    ("laos.deleted", "GET", "/laos/1/deleted", None, "302 200 404 403 403 403 200"),
    ("laos.deleted", "GET", "/laos/3/deleted", None, "302 404 404 404 403 403 200"),
    ("laos.restore_deleted", "POST", "/laos/1/deleted/999/restore", {}, "302 404 404 403 403 403 404"),
    ("laos.restore_deleted", "POST", "/laos/3/deleted/999/restore", {}, "302 404 404 404 403 403 404"),
    ("working_group.page", "GET", "/laos/1/working-group", None, "302 200 404 200 200 200 200"),
    ("working_group.page", "GET", "/laos/3/working-group", None, "302 404 404 404 200 200 200"),
    ("working_group.page", "POST", "/laos/1/working-group", {}, "302 400 404 403 403 403 400"),
    ("working_group.page", "POST", "/laos/9/working-group", {}, "302 404 404 404 404 403 400"),
    ("working_group.issue", "GET", "/laos/1/working-group/issue", None, "302 200 404 403 403 403 200"),
    ("working_group.issue", "GET", "/laos/3/working-group/issue", None, "302 404 404 404 403 403 200"),
    ("working_group.issue", "POST", "/laos/1/working-group/issue", {}, "302 400 404 403 403 403 400"),
    ("working_group.issue", "POST", "/laos/3/working-group/issue", {}, "302 404 404 404 403 403 400"),
    ("working_group.order_file", "GET", "/laos/1/orders/1.pdf", None, "302 200 404 200 200 200 200"),
    ("working_group.order_file", "GET", "/laos/1/orders/2.pdf", None, "302 404 404 404 404 404 404"),
    ("working_group.order_file", "GET", "/laos/3/orders/2.docx", None, "302 404 404 404 200 200 200"),
    ("working_group.document", "GET", "/laos/1/documents/order.pdf", None, "302 200 404 200 200 200 200"),
    ("working_group.document", "GET", "/laos/1/documents/operation-plan.docx", None, "302 200 404 200 200 200 200"),
    ("working_group.document", "GET", "/laos/1/documents/nothing.pdf", None, "302 404 404 404 404 404 404"),
    ("working_group.document", "GET", "/laos/1/documents/plan-projects.xlsx", None, "302 200 404 200 200 200 200"),
    ("working_group.document", "GET", "/laos/3/documents/plan-projects.xlsx", None, "302 404 404 404 200 200 200"),
    ("working_group.document", "GET", "/laos/1/documents/project-list.xlsx", None, "302 404 404 404 404 404 404"),
    ("working_group.document", "GET", "/laos/3/documents/order.docx", None, "302 404 404 404 200 200 200"),
    ("working_group.document", "GET", "/laos/9/documents/order.pdf", None, "302 404 404 404 404 200 200"),
    ("working_group.operation_plan", "GET", "/laos/1/operation-plan", None, "302 200 404 200 200 200 200"),
    ("working_group.operation_plan", "GET", "/laos/3/operation-plan", None, "302 404 404 404 200 200 200"),
    (
        "working_group.operation_plan",
        "POST",
        "/laos/1/operation-plan",
        {"action": "add"},
        "302 200 404 403 403 403 200",
    ),
    (
        "working_group.operation_plan",
        "POST",
        "/laos/3/operation-plan",
        {"action": "add"},
        "302 404 404 404 403 403 200",
    ),
    ("working_group.emblem", "GET", "/laos/3/emblem", None, "302 404 404 404 200 200 200"),
    ("working_group.emblem", "GET", "/laos/1/emblem", None, "302 404 404 404 404 404 404"),
    ("working_group.emblem", "POST", "/laos/1/emblem", {}, "302 400 403 403 403 403 400"),
    ("working_group.emblem", "POST", "/laos/3/emblem", {}, "302 404 404 404 403 403 400"),
    ("forums.index", "GET", "/laos/1/forums", None, "302 200 200 200 200 200 200"),
    ("forums.index", "GET", "/laos/3/forums", None, "302 404 404 404 200 200 200"),
    ("forums.create", "GET", "/laos/1/forums/new?level=village", None, "302 200 200 403 403 403 200"),
    ("forums.create", "GET", "/laos/1/forums/new?level=lao", None, "302 200 200 403 403 403 200"),
    ("forums.create", "GET", "/laos/1/forums/new?level=bogus", None, "302 404 404 403 403 403 404"),
    ("forums.create", "GET", "/laos/3/forums/new?level=lao", None, "302 404 404 404 403 403 200"),
    ("forums.create", "POST", "/laos/1/forums/new?level=lao", {}, "302 400 400 403 403 403 400"),
    ("forums.create", "POST", "/laos/9/forums/new?level=lao", {}, "302 404 404 404 404 403 400"),
    ("forums.forum", "GET", "/laos/1/forums/1", None, "302 200 200 200 200 200 200"),
    ("forums.forum", "GET", "/laos/1/forums/10", None, "302 404 404 404 404 404 404"),
    ("forums.forum", "GET", "/laos/3/forums/10", None, "302 404 404 404 200 200 200"),
    ("forums.forum", "POST", "/laos/1/forums/1", {}, "302 400 400 403 403 403 400"),
    ("forums.forum", "POST", "/laos/3/forums/10", {}, "302 404 404 404 403 403 400"),
    ("forums.delete", "POST", "/laos/1/forums/2/delete", {}, "302 302 302 403 403 403 302"),
    ("forums.delete", "POST", "/laos/3/forums/11/delete", {}, "302 404 404 404 403 403 302"),
    # working-group meetings: recorded as forums are (the LAO's clerk, its district's
    # facilitators, admins), read by all who see the LAO; demo meeting 1 is LAO 1's
    ("meetings.index", "GET", "/laos/1/meetings", None, "302 200 200 200 200 200 200"),
    ("meetings.index", "GET", "/laos/3/meetings", None, "302 404 404 404 200 200 200"),
    ("meetings.index", "GET", "/laos/9/meetings", None, "302 404 404 404 404 200 200"),
    ("meetings.create", "GET", "/laos/1/meetings/new", None, "302 200 200 403 403 403 200"),
    ("meetings.create", "GET", "/laos/3/meetings/new", None, "302 404 404 404 403 403 200"),
    ("meetings.create", "POST", "/laos/1/meetings/new", {}, "302 400 400 403 403 403 400"),
    ("meetings.create", "POST", "/laos/9/meetings/new", {}, "302 404 404 404 404 403 400"),
    ("meetings.meeting", "GET", "/laos/1/meetings/1", None, "302 200 200 200 200 200 200"),
    ("attachments.upload_to_meeting", "POST", "/laos/1/meetings/1/attachments", {}, "302 302 302 403 403 403 302"),
    ("attachments.upload_consent", "POST", f"/laos/1/consent/{YEAR}/attachments", {}, "302 403 404 302 403 403 302"),
    ("attachments.upload_consent", "POST", f"/laos/9/consent/{YEAR}/attachments", {}, "302 404 404 404 404 403 302"),
    ("attachments.upload_to_meeting", "POST", "/laos/9/meetings/1/attachments", {}, "302 404 404 404 404 404 404"),
    ("meetings.meeting", "GET", "/laos/3/meetings/1", None, "302 404 404 404 404 404 404"),
    ("meetings.meeting", "GET", "/laos/1/meetings/999", None, "302 404 404 404 404 404 404"),
    ("meetings.meeting", "POST", "/laos/1/meetings/1", {}, "302 400 400 403 403 403 400"),
    ("meetings.meeting", "POST", "/laos/1/meetings/999", {}, "302 404 404 403 403 403 404"),
    (
        "working_group.document",
        "GET",
        "/laos/1/documents/meeting-minutes.pdf?meeting=1",
        None,
        "302 200 200 200 200 200 200",
    ),
    (
        "working_group.document",
        "GET",
        "/laos/3/documents/meeting-minutes.pdf?meeting=1",
        None,
        "302 404 404 404 404 404 404",
    ),
    ("working_group.document", "GET", "/laos/1/documents/meeting-minutes.pdf", None, "302 404 404 404 404 404 404"),
    ("meetings.delete", "POST", "/laos/1/meetings/1/delete", {}, "302 302 302 403 403 403 302"),
    ("meetings.delete", "POST", "/laos/1/meetings/999/delete", {}, "302 404 404 403 403 403 404"),
    ("meetings.delete", "POST", "/laos/3/meetings/1/delete", {}, "302 404 404 404 403 403 404"),
    # monitoring visits: recorded by the province office (its province), the district
    # office (its district) and admins; read by the LAO's clerk and national users
    ("visits.index", "GET", "/laos/1/visits", None, "302 200 404 200 200 200 200"),
    ("visits.index", "GET", "/laos/3/visits", None, "302 404 404 404 200 200 200"),
    ("visits.index", "GET", "/laos/9/visits", None, "302 404 404 404 404 200 200"),
    ("visits.create", "GET", "/laos/1/visits/new", None, "302 403 404 200 200 403 200"),
    ("visits.create", "GET", "/laos/3/visits/new", None, "302 404 404 404 200 403 200"),
    ("visits.create", "POST", "/laos/1/visits/new", {}, "302 403 404 400 400 403 400"),
    ("visits.create", "POST", "/laos/9/visits/new", {}, "302 404 404 404 404 403 400"),
    ("visits.visit", "GET", "/laos/1/visits/999", None, "302 404 404 404 404 404 404"),
    ("visits.visit", "POST", "/laos/1/visits/999", {}, "302 403 404 404 404 403 404"),
    ("visits.delete", "POST", "/laos/1/visits/999/delete", {}, "302 403 404 404 404 403 404"),
    ("visits.restore", "POST", "/laos/1/visits/deleted/999/restore", {}, "302 403 404 404 404 403 404"),
    # attachments: changed by whoever records the record (forums: the LAO's clerk and its
    # district's facilitators; visits: the offices; reports: the clerk while not sent),
    # seen by whoever sees the record; an upload without a file is refused with a message
    ("attachments.upload_to_forum", "POST", "/laos/1/forums/1/attachments", {}, "302 302 302 403 403 403 302"),
    ("attachments.upload_to_forum", "POST", "/laos/9/forums/1/attachments", {}, "302 404 404 404 404 404 404"),
    ("attachments.upload_to_visit", "POST", "/laos/3/visits/1/attachments", {}, "302 404 404 404 302 403 302"),
    ("attachments.upload_to_visit", "POST", "/laos/1/visits/1/attachments", {}, "302 404 404 404 404 404 404"),
    ("attachments.upload_to_report", "POST", "/laos/1/reports/1/attachments", {}, "302 403 404 403 403 403 403"),
    ("attachments.upload_to_report", "POST", "/laos/1/reports/5/attachments", {}, "302 404 404 404 404 404 404"),
    ("attachments.upload_to_report", "POST", "/laos/9/reports/1/attachments", {}, "302 404 404 404 404 404 404"),
    ("attachments.download", "GET", "/laos/1/attachments/999/file", None, "302 404 404 404 404 404 404"),
    ("attachments.download", "GET", "/laos/1/attachments/999/thumb", None, "302 404 404 404 404 404 404"),
    ("attachments.delete", "POST", "/laos/1/attachments/999/delete", {}, "302 404 404 404 404 404 404"),
    ("attachments.restore", "POST", "/laos/1/attachments/999/restore", {}, "302 404 404 404 404 404 404"),
    ("working_group.document", "GET", "/laos/1/documents/minutes.pdf?forum=1", None, "302 200 200 200 200 200 200"),
    (
        "working_group.document",
        "GET",
        "/laos/1/documents/sign-in-sheet.docx?forum=9&rows=5",
        None,
        "302 200 200 200 200 200 200",
    ),
    ("working_group.document", "GET", "/laos/1/documents/minutes.pdf?forum=10", None, "302 404 404 404 404 404 404"),
    ("working_group.document", "GET", "/laos/1/documents/minutes.pdf", None, "302 404 404 404 404 404 404"),
    ("working_group.document", "GET", "/laos/3/documents/minutes.docx?forum=10", None, "302 404 404 404 200 200 200"),
    ("projects.index", "GET", "/laos/1/projects", None, "302 200 404 200 200 200 200"),
    ("projects.index", "GET", "/laos/3/projects", None, "302 404 404 404 200 200 200"),
    ("projects.index", "POST", "/laos/1/projects", {}, "302 400 404 403 403 403 400"),
    ("projects.index", "POST", "/laos/3/projects", {}, "302 404 404 404 403 403 400"),
    ("projects.edit_all", "GET", "/laos/1/projects/edit", None, "302 200 404 403 403 403 200"),
    ("projects.edit_all", "GET", "/laos/3/projects/edit", None, "302 404 404 404 403 403 200"),
    (
        "projects.edit_all",
        "POST",
        "/laos/1/projects/edit",
        {"rows-0-id": "1", "rows-0-name": ""},
        "302 400 404 403 403 403 400",
    ),
    ("projects.edit", "GET", "/laos/1/projects/1", None, "302 200 404 200 200 200 200"),
    ("projects.edit", "GET", "/laos/1/projects/13", None, "302 404 404 404 404 404 404"),
    ("projects.edit", "GET", "/laos/3/projects/13", None, "302 404 404 404 200 200 200"),
    ("projects.edit", "POST", "/laos/1/projects/1", {}, "302 400 404 403 403 403 400"),
    ("projects.delete", "POST", "/laos/1/projects/2/delete", {}, "302 302 404 403 403 403 302"),
    ("projects.delete", "POST", "/laos/3/projects/14/delete", {}, "302 404 404 404 403 403 302"),
    (
        "projects.move",
        "POST",
        "/laos/1/projects/3/move",
        {"direction": "up", "v1": "1", "v3": "1"},
        "302 302 404 403 403 403 302",
    ),
    ("projects.mark", "POST", "/laos/1/projects/mark", {}, "302 400 404 403 403 403 400"),
    ("projects.mark", "POST", "/laos/3/projects/mark", {}, "302 404 404 404 403 403 400"),
    ("projects.upload", "POST", "/laos/1/projects/import", {}, "302 400 404 403 403 403 400"),
    ("projects.confirm", "POST", "/laos/1/projects/import/1", {}, "302 302 404 403 403 403 302"),
    ("projects.export", "GET", "/laos/1/projects.xlsx", None, "302 200 404 200 200 200 200"),
    ("projects.export", "GET", "/laos/3/projects.csv", None, "302 404 404 404 200 200 200"),
    ("projects.template", "GET", "/laos/1/projects/template.xlsx", None, "302 200 404 200 200 200 200"),
    ("working_group.document", "GET", "/laos/1/documents/project-list.pdf", None, "302 200 404 200 200 200 200"),
    ("working_group.document", "GET", "/laos/3/documents/project-list.docx", None, "302 404 404 404 200 200 200"),
    ("reports.index", "GET", "/laos/1/reports", None, "302 200 404 200 200 200 200"),
    ("reports.index", "GET", "/laos/3/reports", None, "302 404 404 404 200 200 200"),
    ("reports.report", "GET", "/laos/1/reports/1", None, "302 200 404 200 200 200 200"),
    ("reports.report", "GET", "/laos/1/reports/99", None, "302 404 404 404 404 404 404"),
    ("reports.report", "GET", "/laos/3/reports/1", None, "302 404 404 404 200 200 200"),
    ("reports.report", "POST", "/laos/1/reports/4", {"progress": "x"}, "302 302 404 403 403 403 302"),
    ("reports.report", "POST", "/laos/3/reports/4", {"progress": "x"}, "302 404 404 404 403 403 302"),
    ("reports.submit", "GET", "/laos/1/reports/4/submit", None, "302 200 404 403 403 403 200"),
    ("reports.submit", "GET", "/laos/1/reports/1/submit", None, "302 302 404 403 403 403 302"),
    ("reports.submit", "GET", "/laos/1/reports/99/submit", None, "302 404 404 403 403 403 404"),
    ("reports.submit", "GET", "/laos/3/reports/4/submit", None, "302 404 404 404 403 403 200"),
    ("reports.submit", "POST", "/laos/1/reports/4/submit", {}, "302 400 404 403 403 403 400"),
    ("reports.submit", "POST", "/laos/3/reports/4/submit", {}, "302 404 404 404 403 403 400"),
    ("reports.review", "POST", "/laos/1/reports/1/review", {"decision": "acknowledge"}, "302 403 404 302 403 403 302"),
    ("reports.review", "POST", "/laos/3/reports/1/review", {"decision": "acknowledge"}, "302 404 404 404 403 403 400"),
    ("reports.submitted_file", "GET", "/laos/1/reports/1/v1.pdf", None, "302 200 404 200 200 200 200"),
    ("reports.submitted_file", "GET", "/laos/1/reports/1/v9.docx", None, "302 404 404 404 404 404 404"),
    ("reports.submitted_file", "GET", "/laos/3/reports/1/v1.docx", None, "302 404 404 404 200 200 200"),
    ("working_group.document", "GET", "/laos/1/documents/report.pdf?period=1", None, "302 200 404 200 200 200 200"),
    ("working_group.document", "GET", "/laos/1/documents/report.pdf", None, "302 404 404 404 404 404 404"),
    (
        "working_group.document",
        "GET",
        "/laos/1/documents/cover-memo.docx?period=1",
        None,
        "302 200 404 200 200 200 200",
    ),
    ("working_group.document", "GET", "/laos/3/documents/cover-memo.pdf?period=1", None, "302 404 404 404 200 200 200"),
    ("api.compliance", "GET", "/api/v1/laos/1/compliance", None, "401 200 200 200 200 200 200"),
    ("api.compliance", "GET", "/api/v1/laos/3/compliance", None, "401 404 404 404 200 200 200"),
    ("api.compliance", "GET", "/api/v1/laos/9/compliance", None, "401 404 404 404 404 200 200"),
    ("api.rollup", "GET", "/api/v1/rollup?province=37&period=1", None, "401 404 404 404 200 200 200"),
    ("api.rollup", "GET", "/api/v1/rollup?province=38", None, "401 404 404 404 404 200 200"),
    ("api.rollup", "GET", "/api/v1/rollup", None, "401 404 404 404 404 200 200"),
    ("api.rollup", "GET", "/api/v1/rollup?province=37&period=99", None, "401 404 404 404 404 404 404"),
    ("exports.index", "GET", "/exports", None, "302 404 404 404 200 200 200"),
    (
        "exports.start",
        "POST",
        "/exports/reports",
        {"period": "1", "province": "38", "formats": "pdf"},
        "302 404 404 404 404 302 302",
    ),
    (
        "exports.start",
        "POST",
        "/exports/reports",
        {"period": "1", "province": "", "formats": "pdf"},
        "302 404 404 404 404 302 302",
    ),
    (
        "exports.start",
        "POST",
        "/exports/reports",
        {"period": "1", "province": "37", "formats": "pdf"},
        "302 404 404 404 302 302 302",
    ),
    ("exports.job", "GET", "/exports/1", None, "302 404 404 404 200 200 200"),
    ("api.export_job", "GET", "/api/v1/exports/1", None, "401 404 404 404 200 200 200"),
    ("exports.cancel", "POST", "/exports/1/cancel", {}, "302 404 404 404 302 302 302"),
    ("exports.download", "GET", "/exports/1/download", None, "302 404 404 404 302 302 302"),
    ("exports.job", "GET", "/exports/999", None, "302 404 404 404 404 404 404"),
    ("exports.download", "GET", "/exports/999/download", None, "302 404 404 404 404 404 404"),
    ("admin.index", "GET", "/admin", None, "302 404 404 404 404 404 200"),
    ("admin.create_user", "POST", "/admin/users", {}, "302 404 404 404 404 404 400"),
    ("admin.unlock_user", "POST", "/admin/users/1/unlock", {}, "302 404 404 404 404 404 302"),
    ("admin.unlock_user", "POST", "/admin/users/999/unlock", {}, "302 404 404 404 404 404 404"),
    (
        "admin.unlock_address",
        "POST",
        "/admin/addresses/unlock",
        {"address": "192.0.2.7"},
        "302 404 404 404 404 404 303",
    ),
    ("admin.edit_user", "GET", "/admin/users/2", None, "302 404 404 404 404 404 200"),
    ("admin.edit_user", "GET", "/admin/users/999", None, "302 404 404 404 404 404 404"),
    ("admin.edit_user", "POST", "/admin/users/2", {}, "302 404 404 404 404 404 400"),
    ("admin.user_email", "POST", "/admin/users/2/email", {"email": "x@"}, "302 404 404 404 404 404 400"),
    ("admin.user_email", "POST", "/admin/users/999/email", {}, "302 404 404 404 404 404 404"),
    ("admin.settings", "GET", "/admin/settings", None, "302 404 404 404 404 404 200"),
    ("admin.settings", "POST", "/admin/settings", {}, "302 404 404 404 404 404 400"),
    ("admin.settings", "GET", "/admin/settings?year=1", None, "302 404 404 404 404 404 404"),
    # the public page and its open data: anyone, signed in or not; hiding it: admins
    ("public.page", "GET", "/public", None, "200 200 200 200 200 200 200"),
    ("public.page", "GET", "/public?year=1", None, "404 404 404 404 404 404 404"),
    ("public.rollup_csv", "GET", "/public/rollup.csv", None, "200 200 200 200 200 200 200"),
    ("public.rollup_json", "GET", "/public/rollup.json", None, "200 200 200 200 200 200 200"),
    ("public.set_shown", "POST", "/admin/public-page", {"shown": "1"}, "302 404 404 404 404 404 302"),
    ("admin.open_year", "GET", "/admin/years/open", None, "302 404 404 404 404 404 200"),
    ("admin.open_year", "POST", "/admin/years/open", {}, "302 404 404 404 404 404 400"),
    ("audit.index", "GET", "/audit", None, "302 404 404 200 404 404 200"),
    ("audit.index", "GET", "/audit?lao=1&table=village", None, "302 404 404 200 404 404 200"),
    ("audit.index", "GET", "/audit?lao=3", None, "302 404 404 404 404 404 200"),
    ("audit.index", "GET", "/audit?lao=999", None, "302 404 404 404 404 404 404"),
    ("audit.index", "GET", "/audit?date_from=31/02/2569", None, "302 404 404 400 404 404 400"),
]


def test_every_route_is_in_the_table(app):
    routes = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(endpoint, method) for endpoint, method, *_ in TABLE}
    assert routes - covered == set(), "routes without access rules in TABLE"
    assert covered - routes == set(), "TABLE names routes that do not exist"


@pytest.mark.parametrize("role", ROLES)
def test_route_statuses_by_role(make_app, role):
    # a fresh app and database per role: rows one role deletes are there for the next
    app = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False)
    client = app.test_client()
    if role != "anon":
        assert login(client, USERNAMES[role]).status_code == 302
    failures = []
    for endpoint, method, url, data, statuses in TABLE:
        expected = int(statuses.split()[ROLES.index(role)])
        if endpoint == "auth.logout":
            continue  # checked last: it ends the session
        response = client.open(url, method=method, data=data)
        if response.status_code != expected:
            failures.append(f"{method} {url}: expected {expected}, got {response.status_code}")
    response = client.post("/logout")
    expected = int(TABLE[[e for e, *_ in TABLE].index("auth.logout")][4].split()[ROLES.index(role)])
    if response.status_code != expected:
        failures.append(f"POST /logout: expected {expected}, got {response.status_code}")
    assert failures == []
