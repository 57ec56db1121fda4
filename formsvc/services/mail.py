"""Sending the outbox: notices and reminders by e-mail (docs/mail.md).

:func:`run` is the runner's mail step: it queues today's reminders, then sends what is
queued and due, each message in the recipient's language (Thai; English for users who
chose it) with a link to the report's page under FORMSVC_BASE_URL. A message the server
refuses, or that cannot reach it, is tried again later (formsvc.store.outbox.BACKOFF).
Without SMTP settings nothing is sent and every message stays queued. Called by the
runner (``formsvc send-mail``), never inside a web request.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr

from formsvc import config
from formsvc.domain import english, thai
from formsvc.domain.messages import Gettext, Msg, msg, thai_gettext
from formsvc.domain.model import LAO_KIND_LABELS, district_display_name
from formsvc.domain.reports import periods
from formsvc.store import geography, outbox
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store.errors import NotFound

TIMEOUT_SECONDS = 30

SUBJECTS = {
    "due_7": msg("Reminder: the report for reporting period %(period)s is due on %(date)s"),
    "due_1": msg("Reminder: the report for reporting period %(period)s is due on %(date)s"),
    "submitted": msg("%(lao)s has sent its report for reporting period %(period)s"),
    "returned": msg("The report for reporting period %(period)s has been returned for correction"),
    "acknowledged": msg("The report for reporting period %(period)s has been acknowledged"),
    "district_submitted": msg("%(district)s has sent its district report for reporting period %(period)s"),
    "district_returned": msg("The district report for reporting period %(period)s has been returned for correction"),
    "district_acknowledged": msg("The district report for reporting period %(period)s has been acknowledged"),
    "province_submitted": msg("%(province)s has sent its province report for reporting period %(period)s"),
    "province_returned": msg("The province report for reporting period %(period)s has been returned for correction"),
    "province_acknowledged": msg("The province report for reporting period %(period)s has been acknowledged"),
}
BODIES = {
    "due_7": msg(
        "The report of %(lao)s for reporting period %(period)s (%(months)s) is due on %(date)s and has not "
        "been sent yet. Please send it by that day."
    ),
    "due_1": msg(
        "The report of %(lao)s for reporting period %(period)s (%(months)s) is due on %(date)s and has not "
        "been sent yet. Please send it by that day."
    ),
    "submitted": msg(
        "%(lao)s has sent its report for reporting period %(period)s (%(months)s). Please review it and "
        "acknowledge it or return it for correction."
    ),
    "returned": msg(
        "The district office has returned the report of %(lao)s for reporting period %(period)s (%(months)s) "
        "for correction. Please read the district's comment, correct the report and send it again."
    ),
    "acknowledged": msg(
        "The district office has acknowledged the report of %(lao)s for reporting period %(period)s (%(months)s)."
    ),
    "district_submitted": msg(
        "%(district)s has sent its district report for reporting period %(period)s (%(months)s). Please review "
        "it and acknowledge it or return it for correction."
    ),
    "district_returned": msg(
        "The province office has returned the district report of %(district)s for reporting period %(period)s "
        "(%(months)s) for correction. Please read the province's comment, correct the report and send it again."
    ),
    "district_acknowledged": msg(
        "The province office has acknowledged the district report of %(district)s for reporting period "
        "%(period)s (%(months)s)."
    ),
    "province_submitted": msg(
        "%(province)s has sent its province report for reporting period %(period)s (%(months)s). Please review "
        "it and acknowledge it or return it for correction."
    ),
    "province_returned": msg(
        "The national office has returned the province report of %(province)s for reporting period %(period)s "
        "(%(months)s) for correction. Please read the national office's comment, correct the report and send it "
        "again."
    ),
    "province_acknowledged": msg(
        "The national office has acknowledged the province report of %(province)s for reporting period "
        "%(period)s (%(months)s)."
    ),
}
GREETING = msg("Dear %(name)s,")
OPEN_LINK = msg("Open the report:")
FOOTER = msg(
    "This message was sent automatically by the community plan reporting system. To stop these e-mails, "
    "turn notices off on your account page:"
)


def english_gettext(msgid: str, **params: object) -> str:
    return msgid % params if params else msgid


def _gettext(locale: str) -> Gettext:
    return english_gettext if locale == "en" else thai_gettext


def compose(db, message: dict, sender: str, base_url: str | None = None) -> EmailMessage:
    """The e-mail for one outbox row (joined with its recipient: formsvc.store.outbox.due)."""
    base_url = config.base_url() if base_url is None else base_url
    gettext = _gettext(message["locale"])
    try:
        lao = lao_store.get_lao(db, message["lao_id"]) if message.get("lao_id") is not None else None
    except NotFound:
        lao = None
    district = geography.district(db, message["district_code"]) if message.get("district_code") else None
    prog = programme_store.get_programme(db, message["programme_year"])
    period = next(p for p in periods(prog.year_be, prog.start_month, prog.end_month) if p.number == message["period"])
    due = period.due(prog.late_days)
    if message["locale"] == "en":  # months, dates and the LAO's kind in English, its name as stored
        name = f"{LAO_KIND_LABELS[lao['kind']].text(gettext)} {lao['name']}" if lao else None
        months, date = english.months_label(period.start, period.end), english.date_long(due)
    else:
        name = lao["full_name"] if lao else None
        months, date = period.label(), thai.date_long(due, "arabic")
    values = {"lao": name or f"#{message['lao_id']}", "period": message["period"], "months": months, "date": date}
    if district is not None:  # a district report: the district as people name it (Thai in both languages)
        values["district"] = district_display_name(district["kind"], district["name_th"])
    province = geography.province(db, message["province_code"]) if message.get("province_code") else None
    if province is not None:  # a province report: "จังหวัด…" in both languages
        values["province"] = f"จังหวัด{province['name_th']}"

    def text(m: Msg) -> str:
        return Msg(m.id, values).text(gettext)

    link = f"{base_url}/laos/{message['lao_id']}/reports/{message['period']}"
    if message.get("district_code"):
        link = f"{base_url}/districts/{message['district_code']}/reports/{message['period']}"
    if message.get("province_code"):
        link = f"{base_url}/provinces/{message['province_code']}/reports/{message['period']}"
    account = f"{base_url}/account/email"
    name = message["display_name"] or message["username"]
    greeting = Msg(GREETING.id, {"name": name}).text(gettext)
    body = "\n\n".join(
        [greeting, text(BODIES[message["kind"]]), f"{OPEN_LINK.text(gettext)}\n{link}", "--", FOOTER.text(gettext)]
    )
    email = EmailMessage()
    email["Subject"] = text(SUBJECTS[message["kind"]])
    email["From"] = sender
    email["To"] = formataddr((name, message["email"]))
    email["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    email.set_content(f"{body}\n{account}\n")
    return email


def _deliver(settings: config.Smtp, email: EmailMessage) -> None:
    with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(email)


def send_queued(db, settings: config.Smtp | None = None, base_url: str | None = None) -> dict[str, int]:
    """Send every queued message whose time has come. Returns counts by outcome."""
    settings = config.smtp() if settings is None else settings
    done = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    if settings is None:
        return done
    for message in outbox.due(db):
        if not outbox.claim(db, message["id"]):
            continue  # another runner is sending it
        if not message["email"] or not message["notify"] or not message["active"]:
            outbox.mark_skipped(db, message["id"], "no address, notices off or account disabled")
            done["skipped"] += 1
            continue
        try:
            email = compose(db, message, settings.sender, base_url)
        except (NotFound, StopIteration):
            outbox.mark_skipped(db, message["id"], "the report's programme year or period no longer exists")
            done["skipped"] += 1
            continue
        try:
            _deliver(settings, email)
        except (OSError, smtplib.SMTPException) as error:
            status = outbox.mark_failed(db, message["id"], f"{type(error).__name__}: {error}")
            done["retry" if status == "queued" else "failed"] += 1
        else:
            outbox.mark_sent(db, message["id"])
            done["sent"] += 1
    return done


def run(db, settings: config.Smtp | None = None, base_url: str | None = None) -> dict[str, int]:
    """The runner's mail step: queue today's reminders, then send what is due."""
    queued = outbox.queue_reminders(db)
    return {"reminders": queued, **send_queued(db, settings, base_url)}


def status(db) -> dict:
    """For the admin page: whether mail can go out, and the outbox's counts."""
    try:
        configured = config.smtp() is not None
    except RuntimeError:
        configured = False
    return {
        "configured": configured,
        "base_url": config.base_url(),
        **outbox.counts(db),
        "error": outbox.last_error(db),
    }
