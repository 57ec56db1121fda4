"""E-mail notices and reminders, sent to a real SMTP server started by the test (aiosmtpd)."""

import asyncio
import datetime as dt
import email
import email.policy
import threading
import time

import pytest
from aiosmtpd.smtp import SMTP
from click.testing import CliRunner

from formsvc import config
from formsvc.cli import main as cli
from formsvc.domain import clock
from formsvc.services import mail
from formsvc.store import outbox
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store import users as user_store
from tests.conftest import csrf_token, ids, login
from tests.test_reports import submit_through_the_pages

BASE = "https://formsvc.example.go.th"
DRAFT = {
    "progress": "ประชุมคณะทำงานและจัดเวทีประชาคมครบทุกหมู่บ้าน",
    "problems": "ฝนตกหนัก",
    "suggestions": "ขอวิทยากรเพิ่ม",
    "reporter_name": "นายสมชาย ใจดี",
    "reporter_position": "ปลัด อบต.",
}


class Inbox:
    """What the SMTP server received; it refuses the next ``refuse`` messages (451)."""

    def __init__(self):
        self.messages = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"rcpt": list(envelope.rcpt_tos), "message": message})
        return "250 OK"

    def mails(self):
        return [
            {
                "to": str(m["message"]["To"]),
                "rcpt": m["rcpt"],
                "subject": str(m["message"]["Subject"]),
                "body": m["message"].get_content(),
            }
            for m in self.messages
        ]


@pytest.fixture
def smtp_server():
    """An SMTP server on a free local port, in its own thread (polled, never a timed wait)."""
    inbox = Inbox()
    loop = asyncio.new_event_loop()
    started = {}

    def serve():
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(loop.create_server(lambda: SMTP(inbox, hostname="localhost"), "127.0.0.1", 0))
        started["server"] = server
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    for _ in range(500):
        if "server" in started:
            break
        time.sleep(0.01)
    inbox.port = started["server"].sockets[0].getsockname()[1]
    inbox.settings = config.Smtp("127.0.0.1", inbox.port, "", "", "formsvc@example.go.th", False)
    yield inbox
    loop.call_soon_threadsafe(loop.stop)
    for _ in range(500):
        if not thread.is_alive():
            break
        time.sleep(0.01)


def send(db, inbox):
    return mail.run(db, inbox.settings, BASE)


def user_id(db, username):
    return ids(db, "SELECT id FROM user WHERE username = ?", [username])[0]


def give_email(db, username, address, notify=True):
    user_store.set_email(db, user_id(db, username), address, notify)


def test_a_submitted_report_is_mailed_to_the_district_and_its_review_to_the_clerks(client, db, smtp_server):
    give_email(db, "clerk", "clerk@example.go.th")
    give_email(db, "district", "district@example.go.th")
    give_email(db, "clerk2", "clerk2@example.go.th")  # another LAO's clerk: none of this is theirs
    login(client, "clerk")
    assert submit_through_the_pages(client, db, 1, 4, DRAFT).status_code == 302
    assert smtp_server.mails() == []  # nothing is sent inside the request
    assert send(db, smtp_server)["sent"] == 1
    [submitted] = smtp_server.mails()
    assert submitted["rcpt"] == ["district@example.go.th"] and "district@example.go.th" in submitted["to"]
    assert "ส่งรายงานรอบที่ 4 แล้ว" in submitted["subject"]
    assert "ขอให้ตรวจสอบรายงาน" in submitted["body"] and f"{BASE}/laos/1/reports/4" in submitted["body"]

    district = client.application.test_client()
    login(district, "district")
    comment = {"decision": "return", "comment": "กรุณาเพิ่มปัญหาอุปสรรค"}
    assert district.post("/laos/1/reports/4/review", data=comment).status_code == 302
    send(db, smtp_server)
    returned = smtp_server.mails()[1:]
    assert [m["rcpt"] for m in returned] == [["clerk@example.go.th"]]
    assert returned[0]["subject"] == "อำเภอส่งรายงานรอบที่ 4 กลับให้แก้ไข"
    assert "แก้ไขรายงาน แล้วส่งอีกครั้ง" in returned[0]["body"]
    assert f"{BASE}/laos/1/reports/4" in returned[0]["body"] and f"{BASE}/account/email" in returned[0]["body"]
    assert send(db, smtp_server)["sent"] == 0  # each notice once


def test_a_refused_message_is_sent_again_after_a_while(db, smtp_server, travel):
    travel(clock.now())
    give_email(db, "clerk", "clerk@example.go.th")
    with db.atomic():
        outbox.queue_report_notice(db, "acknowledged", 1, programme_store.get_programme(db).year_be, 2)
    smtp_server.refuse = 1
    assert send(db, smtp_server)["retry"] == 1
    assert smtp_server.mails() == []
    assert send(db, smtp_server)["sent"] == 0  # not at once: it waits its turn
    travel(clock.now() + dt.timedelta(seconds=outbox.BACKOFF[0] + 5))
    assert send(db, smtp_server)["sent"] == 1
    [acknowledged] = smtp_server.mails()
    assert acknowledged["rcpt"] == ["clerk@example.go.th"]
    assert acknowledged["subject"] == "อำเภอรับทราบรายงานรอบที่ 2 แล้ว"


def test_a_message_refused_every_time_is_given_up(db, smtp_server, travel):
    travel(clock.now())
    give_email(db, "clerk", "clerk@example.go.th")
    with db.atomic():
        outbox.queue_report_notice(db, "acknowledged", 1, programme_store.get_programme(db).year_be, 2)
    smtp_server.refuse = outbox.MAX_ATTEMPTS
    for _ in range(outbox.MAX_ATTEMPTS):
        send(db, smtp_server)
        travel(clock.now() + dt.timedelta(seconds=max(outbox.BACKOFF) + 5))
    assert outbox.counts(db)["failed"] == 1
    send(db, smtp_server)
    assert smtp_server.mails() == []


def test_notices_turned_off_on_the_account_page_are_not_sent(client, db, smtp_server):
    give_email(db, "clerk", "clerk@example.go.th")
    login(client, "clerk")
    token = csrf_token(client, "/account/email")
    response = client.post("/account/email", data={"csrf_token": token, "email": "clerk@example.go.th"})
    assert response.status_code == 302
    page = client.get("/account/email").get_data(as_text=True)
    assert "บันทึกการตั้งค่าอีเมลแล้ว" in page and 'name="notify" type="checkbox" value="y">' in page
    year = programme_store.get_programme(db).year_be
    with db.atomic():
        outbox.queue_report_notice(db, "returned", 1, year, 2)
    login(client, "admin")
    assert "รอส่ง 0 ฉบับ" in client.get("/admin").get_data(as_text=True)  # nothing waits for them either
    send(db, smtp_server)
    assert smtp_server.mails() == []


def test_notices_turned_off_after_queueing_are_not_sent(db, smtp_server):
    give_email(db, "clerk", "clerk@example.go.th")
    with db.atomic():
        outbox.queue_report_notice(db, "returned", 1, programme_store.get_programme(db).year_be, 2)
    give_email(db, "clerk", "clerk@example.go.th", notify=False)
    assert send(db, smtp_server)["skipped"] == 1
    assert smtp_server.mails() == []


def test_reminders_come_7_days_and_1_day_before_the_due_day_once_each(db, smtp_server, travel):
    give_email(db, "clerk", "clerk@example.go.th")
    prog = programme_store.get_programme(db)
    period = report_store.period(db, 4)
    assert report_store.get_report(db, 1, 4)["status"] not in ("submitted", "acknowledged")
    due = period.due(prog.late_days)

    def on(day):
        travel(day)
        send(db, smtp_server)
        return [m for m in smtp_server.mails() if "รอบที่ 4" in m["subject"]]

    assert on(due - dt.timedelta(days=8)) == []
    [week] = on(due - dt.timedelta(days=7))
    assert week["rcpt"] == ["clerk@example.go.th"]
    assert week["subject"].startswith("แจ้งเตือน: รายงานรอบที่ 4 ครบกำหนดส่งวันที่ ")
    assert "ยังไม่ได้ส่ง" in week["body"] and f"{BASE}/laos/1/reports/4" in week["body"]
    assert len(on(due - dt.timedelta(days=6))) == 1  # the 7-day reminder only once
    assert len(on(due - dt.timedelta(days=1))) == 2
    assert len(on(due - dt.timedelta(days=1))) == 2  # the runner again the same day: nothing new
    assert len(on(due)) == 2
    assert len(on(due + dt.timedelta(days=1))) == 2


def test_no_reminder_once_the_due_day_has_passed(db, smtp_server, travel):
    give_email(db, "clerk", "clerk@example.go.th")
    due = report_store.period(db, 4).due(programme_store.get_programme(db).late_days)
    travel(due + dt.timedelta(days=1))  # the runner was down until after the due day
    send(db, smtp_server)
    assert [m for m in smtp_server.mails() if "รอบที่ 4" in m["subject"]] == []


def test_no_reminder_for_a_report_already_sent(db, smtp_server, travel):
    give_email(db, "clerk", "clerk@example.go.th")
    due = report_store.period(db, 4).due(programme_store.get_programme(db).late_days)
    db.execute(
        "UPDATE report SET status = 'submitted' WHERE lao_id = 1 AND period = 4 AND programme_year = ?",
        [programme_store.get_programme(db).year_be],
    )
    if not ids(db, "SELECT id FROM report WHERE lao_id = 1 AND period = 4"):
        report_store.save_draft(db, 1, 4, DRAFT, None)
        db.execute("UPDATE report SET status = 'submitted' WHERE lao_id = 1 AND period = 4")
    travel(due - dt.timedelta(days=7))
    send(db, smtp_server)
    assert [m for m in smtp_server.mails() if "รอบที่ 4" in m["subject"]] == []


def test_english_users_get_english_mail(db, smtp_server):
    give_email(db, "clerk", "clerk@example.go.th")
    user_store.set_locale(db, user_id(db, "clerk"), "en")
    with db.atomic():
        outbox.queue_report_notice(db, "returned", 1, programme_store.get_programme(db).year_be, 2)
    send(db, smtp_server)
    [returned] = smtp_server.mails()
    assert returned["subject"] == "The report for reporting period 2 has been returned for correction"
    assert "Please read the district's comment" in returned["body"]


def test_an_english_reminder_writes_months_dates_and_the_lao_kind_in_english(db):
    """Only the LAO's own name (as stored) is Thai in an English reminder; the Thai one is
    Thai throughout, with Buddhist Era years."""
    import re

    prog = programme_store.get_programme(db)
    lao = db.execute("SELECT name FROM lao WHERE id = 1").fetchone()[0]
    row = {"lao_id": 1, "programme_year": prog.year_be, "period": 1, "kind": "due_7", "display_name": "Somchai"}
    row |= {"username": "clerk", "email": "clerk@example.go.th"}
    english = mail.compose(db, {**row, "locale": "en"}, "formsvc@example.go.th", BASE)
    body = english.get_content().replace(lao, "")
    ce = prog.year_be - 543
    assert f"(Jan–Feb {ce}) is due on 15 March {ce}" in body
    assert "Tambon Administrative Organisation" in body or "Tambon municipality" in body
    assert re.findall(r"[\u0e00-\u0e7f]+", body + str(english["Subject"])) == []
    thai = mail.compose(db, {**row, "locale": "th"}, "formsvc@example.go.th", BASE).get_content()
    assert f"ม.ค. – ก.พ. {prog.year_be}" in thai and f"15 มีนาคม {prog.year_be}" in thai


def test_without_smtp_settings_mail_stays_queued_and_the_admin_page_says_so(client, db, monkeypatch):
    monkeypatch.delenv("FORMSVC_SMTP_HOST", raising=False)
    monkeypatch.setenv("FORMSVC_SMTP_FROM", "formsvc@example.go.th")  # a sender alone is not enough
    give_email(db, "clerk", "clerk@example.go.th")
    with db.atomic():
        outbox.queue_report_notice(db, "returned", 1, programme_store.get_programme(db).year_be, 2)
    assert mail.run(db)["sent"] == 0
    login(client, "admin")
    page = client.get("/admin").get_data(as_text=True)
    assert "ยังไม่ได้ตั้งค่าการส่งอีเมล" in page and "รอส่ง 1 ฉบับ" in page


def test_send_mail_command_uses_the_environment(db, db_path, smtp_server, monkeypatch, client):
    monkeypatch.setenv("FORMSVC_DB", str(db_path))
    monkeypatch.setenv("FORMSVC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FORMSVC_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("FORMSVC_SMTP_FROM", "formsvc@example.go.th")
    monkeypatch.setenv("FORMSVC_BASE_URL", BASE + "/")
    give_email(db, "district", "district@example.go.th")
    with db.atomic():
        outbox.queue_report_notice(db, "submitted", 1, programme_store.get_programme(db).year_be, 2)
    login(client, "admin")
    assert "ระบบส่งการแจ้งเตือนผ่านเครื่องแม่ข่ายอีเมล" in client.get("/admin").get_data(as_text=True)
    result = CliRunner().invoke(cli, ["send-mail"])
    assert result.exit_code == 0, result.output
    [submitted] = smtp_server.mails()
    assert submitted["rcpt"] == ["district@example.go.th"]
    assert f"{BASE}/laos/1/reports/2\n" in submitted["body"]


def test_a_bad_address_is_refused_in_thai_and_kept_on_the_page(client, db):
    give_email(db, "clerk", "clerk@example.go.th")
    login(client, "clerk")
    token = csrf_token(client, "/account/email")
    response = client.post("/account/email", data={"csrf_token": token, "email": "somchai@", "notify": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "ที่อยู่อีเมลไม่ถูกต้อง" in page and 'value="somchai@"' in page
    assert user_store.get_user(db, user_id(db, "clerk"))["email"] == "clerk@example.go.th"


def test_an_administrator_sets_a_users_address_and_others_cannot(client, db):
    target = user_id(db, "clerk2")
    login(client, "admin")
    token = csrf_token(client, f"/admin/users/{target}")
    response = client.post(
        f"/admin/users/{target}/email", data={"csrf_token": token, "email": " clerk2@example.go.th ", "notify": "y"}
    )
    assert response.status_code == 302
    assert 'value="clerk2@example.go.th"' in client.get(f"/admin/users/{target}").get_data(as_text=True)
    bad = client.post(f"/admin/users/{target}/email", data={"csrf_token": token, "email": "ไม่ใช่อีเมล"})
    assert bad.status_code == 400 and "ที่อยู่อีเมลไม่ถูกต้อง" in bad.get_data(as_text=True)
    other = client.application.test_client()
    login(other, "district")
    token = csrf_token(other, "/account/email")
    refused = other.post(f"/admin/users/{target}/email", data={"csrf_token": token, "email": "x@example.go.th"})
    assert refused.status_code == 404  # as every admin page: hidden from others
    assert user_store.get_user(db, target)["email"] == "clerk2@example.go.th"


def test_a_message_two_runners_pick_up_at_once_is_sent_once(db, smtp_server, monkeypatch):
    give_email(db, "clerk", "clerk@example.go.th")
    with db.atomic():
        outbox.queue_report_notice(db, "acknowledged", 1, programme_store.get_programme(db).year_be, 2)
    stale = outbox.due(db)  # what a second runner read a moment ago
    send(db, smtp_server)  # the first runner sends it
    monkeypatch.setattr(outbox, "due", lambda db, limit=50: stale)
    send(db, smtp_server)  # the second goes on with what it read
    assert len(smtp_server.mails()) == 1
