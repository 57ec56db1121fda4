"""Sessions end after 8 hours unused and 30 days after signing in, checked on the server
at every request; the sign-in page says why and takes the user back to the page asked
for."""

from __future__ import annotations

import datetime as _dt
from urllib.parse import parse_qs, urlsplit

from formsvc.domain import clock
from tests.conftest import login

EXPIRED = "การเข้าสู่ระบบครั้งก่อนหมดอายุแล้ว"
EXPIRED_EN = "Your session has expired"


def start(travel) -> _dt.datetime:
    """10:00 in Bangkok today, with the clock there."""
    base = _dt.datetime.combine(clock.today(), _dt.time(10, 0), tzinfo=clock.BANGKOK)
    travel(base)
    return base


def test_a_session_unused_for_eight_hours_ends_and_the_page_asked_for_is_kept(client, travel):
    base = start(travel)
    assert login(client, "clerk").status_code == 302
    travel(base + _dt.timedelta(hours=7, minutes=55))
    assert client.get("/laos/1").status_code == 200  # used: the eight hours start again
    travel(base + _dt.timedelta(hours=15, minutes=50))
    assert client.get("/laos/1").status_code == 200
    travel(base + _dt.timedelta(hours=23, minutes=52))  # 8 h 2 min after the last use
    response = client.get("/laos/1/villages?x=1")
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/login" and parse_qs(location.query)["next"] == ["/laos/1/villages?x=1"]
    page = client.get(response.location).get_data(as_text=True)
    assert EXPIRED in page and 'value="/laos/1/villages?x=1"' in page
    # signing in again goes back to that page; the message is not shown twice
    response = client.post(
        "/login", data={"username": "clerk", "password": "formsvc-demo", "next": "/laos/1/villages?x=1"}
    )
    assert response.status_code == 302 and response.location == "/laos/1/villages?x=1"
    assert EXPIRED not in client.get(response.location).get_data(as_text=True)


def test_a_session_ends_thirty_days_after_signing_in_however_much_it_is_used(client, travel):
    base = start(travel)
    login(client, "clerk")
    moment = base
    while moment < base + _dt.timedelta(days=29, hours=23):
        moment += _dt.timedelta(hours=7)
        travel(min(moment, base + _dt.timedelta(days=29, hours=23)))
        assert client.get("/laos/1").status_code == 200
    travel(base + _dt.timedelta(days=30, minutes=1))
    response = client.get("/laos/1")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert EXPIRED in client.get(response.location).get_data(as_text=True)
    assert client.get("/laos/1").status_code == 302  # the session is gone, not just refused once


def test_a_session_without_its_times_has_ended(client):
    login(client, "clerk")
    with client.session_transaction() as session:  # as a cookie made before sessions expired
        del session["started"], session["seen"]
    response = client.get("/laos/1")
    assert response.status_code == 302
    assert EXPIRED in client.get(response.location).get_data(as_text=True)


def test_a_copied_cookie_cannot_renew_its_own_times(client, travel):
    """The times are in the signed cookie: a cookie whose times were changed is not a
    session at all."""
    base = start(travel)
    login(client, "clerk")
    cookie = client.get_cookie("formsvc_session").value
    forged = client.application.test_client()
    forged.set_cookie("formsvc_session", cookie.replace(".", "x.", 1))
    assert forged.get("/laos/1").status_code == 302
    travel(base + _dt.timedelta(hours=9))
    assert client.get("/laos/1").status_code == 302


def test_the_message_follows_the_users_language(client, travel):
    base = start(travel)
    login(client, "clerk")
    client.post("/language", data={"locale": "en"})
    travel(base + _dt.timedelta(hours=9))
    response = client.get("/laos/1")
    page = client.get(response.location).get_data(as_text=True)
    assert EXPIRED_EN in page and EXPIRED not in page


def test_signing_in_again_over_an_expired_session_does_not_then_say_it_expired(client, travel):
    base = start(travel)
    login(client, "clerk")
    travel(base + _dt.timedelta(hours=9))
    response = login(client, "clerk")  # straight from a page still open with the old cookie
    assert response.status_code == 302
    assert EXPIRED not in client.get(response.location, follow_redirects=True).get_data(as_text=True)
