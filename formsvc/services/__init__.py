"""Service functions shared by the web pages and the CLI.

They gather data from the store, build document contexts and render: the one place
where store and documents meet, so a route handler or a command stays one call. SQL
stays in ``formsvc.store``.

One module per feature; every public name is re-exported here, so callers write
``services.rollup(...)``:

- ``emblems``: an LAO's emblem;
- ``orders``: the working group's order (save its group, render, issue, draft);
- ``checklist``: the facts the criteria read and their results (compliance JSON);
- ``reports``: bi-monthly report evidence, files, submission, report and cover memo;
- ``rollups``: roll-ups, the KPI and the district/province summaries;
- ``certificates``: issuing and reading a certificate;
- ``chain``: the district and province offices' reports of a period (sent, late, missing);
- ``inbox``: what waits for each role (``services.inbox.district_inbox(...)``);
- ``documents``: the registered document kinds and ``document``, any of them by kind
  and format.

A function that calls one of another module calls it through its module
(``checklist.compliance(...)``), so patching that module's name reaches every caller.
"""

from __future__ import annotations

from formsvc.documents import emblem as emblem_check
from formsvc.services import chain, inbox
from formsvc.services.certificates import certificate, certificate_file, certificates, issue_certificate
from formsvc.services.checklist import (
    compliance,
    compliance_results,
    criteria_2_and_3,
    criteria_4_and_5,
    criterion_1,
    lao_facts,
)
from formsvc.services.documents import FORMATS, document, document_for, document_named, order_name_th
from formsvc.services.emblems import emblem, save_emblem
from formsvc.services.orders import draft_order, issue_order, order_renderer, save_group
from formsvc.services.reports import (
    cover_memo,
    report_context,
    report_document,
    report_evidence,
    report_files,
    submit_report,
)
from formsvc.services.rollups import (
    NOT_REPORTED_TH,
    current_period,
    group_rollup,
    kpi_text,
    late_text,
    rollup,
    summary_document,
)

__all__ = [
    "FORMATS",
    "NOT_REPORTED_TH",
    "certificate",
    "chain",
    "certificate_file",
    "certificates",
    "compliance",
    "compliance_results",
    "cover_memo",
    "criteria_2_and_3",
    "criteria_4_and_5",
    "criterion_1",
    "current_period",
    "document",
    "document_for",
    "document_named",
    "draft_order",
    "emblem",
    "emblem_check",
    "group_rollup",
    "inbox",
    "issue_certificate",
    "issue_order",
    "kpi_text",
    "order_name_th",
    "lao_facts",
    "late_text",
    "order_renderer",
    "save_group",
    "report_context",
    "report_document",
    "report_evidence",
    "report_files",
    "rollup",
    "save_emblem",
    "submit_report",
    "summary_document",
]
