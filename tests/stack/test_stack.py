"""The whole stack as a hosting party runs it: PostgreSQL, Redis, two gunicorn web processes, one
Celery worker and Celery beat, each a process of its own (tests/stack/stack.py).

The flow: a labour expert signs in on web 1, passes the second factor on web 2 and goes on on
either (sessions live in Redis, the web tier keeps nothing); fills in an urgent signal on web 1 and
sends it on web 2. Then everything else is done by the worker and beat, never by the test: the
signal escalates to the plan director once nobody acknowledged it in time (the region's setting,
shortened to seconds), the ambassador's reminder is mailed, the daily digest is sent (beat's
schedule shortened to seconds), each mail written by the worker into the mail folder; and the
access log of these requests is sealed. The test only waits and reads the database and the mail.
"""

from __future__ import annotations

import email
import re
import time
from http.cookies import SimpleCookie

import httpx
import pytest
from django.urls import reverse

from .stack import BASE_URL, PUBLIC_HOST

pytestmark = [pytest.mark.stack, pytest.mark.slow]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One person's browser behind the reverse proxy: the same cookies, whichever web process the
    proxy picks; the proxy's headers (public host, HTTPS, the client's address)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.http = httpx.Client(follow_redirects=False, timeout=30)

    def request(self, method: str, base: str, path: str, data: dict | None = None) -> httpx.Response:
        headers = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Referer"] = BASE_URL + path
            headers["Origin"] = BASE_URL
        response = self.http.request(method, base + path, data=data, headers=headers)
        for line in response.headers.get_list("set-cookie"):
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, base: str, path: str) -> httpx.Response:
        return self.request("GET", base, path)

    def post(self, base: str, path: str, data: dict) -> httpx.Response:
        return self.request("POST", base, path, data)


def _csrf(response: httpx.Response) -> str:
    match = CSRF.search(response.text)
    assert match, response.text[:500]
    return match.group(1)


def _totp(hex_key: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(hex_key), step=30, digits=6).token():06d}"


def _wait_for(what: str, check, stack, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    logs = "\n".join(f"--- {name}\n{stack.log(name)[-2500:]}" for name in ("worker", "beat", "web1", "web2"))
    pytest.fail(f"the stack did not {what} in {seconds} s\n{logs}")


def _mails(stack) -> list[email.message.Message]:
    messages = []
    for path in sorted(stack.mail_dir.glob("*.log")):
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


def _text(message: email.message.Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    return "".join(p.get_payload(decode=True).decode("utf-8", "replace") for p in parts
                   if p.get_content_type() == "text/plain")


def _mailed_notification(stack, kind: str, recipient: int) -> int | None:
    with stack.connect() as db:
        row = db.execute(
            "SELECT id FROM notifications_notification WHERE kind = %s AND recipient_id = %s AND mailed_at IS NOT NULL",
            [kind, recipient]).fetchone()
    return row[0] if row else None


def _mail_with_link(stack, to: str, notification_id: int) -> email.message.Message | None:
    link = BASE_URL + reverse("notifications:open", kwargs={"pk": notification_id})
    return next((m for m in _mails(stack) if m["To"] == to and link in _text(m)), None)


def test_a_session_and_the_scheduled_work_across_the_whole_stack(stack):
    began = time.monotonic()
    seed, (web1, web2) = stack.seed, stack.web
    expert, jobcoach, ambassador = seed["expert"], seed["jobcoach"], seed["ambassador"]
    browser = Browser()

    # Signed in on web 1 …
    page = browser.get(web1, "/account/login/")
    assert page.status_code == 200
    signed_in = browser.post(web1, "/account/login/", {
        "username": expert["username"], "password": seed["password"], "csrfmiddlewaretoken": _csrf(page)})
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert "sessionid" in browser.cookies
    # … the second factor on web 2, which knows the session from Redis …
    page = browser.get(web2, "/account/2fa/verify/?next=/")
    assert page.status_code == 200, page.headers.get("location")
    verified = browser.post(web2, "/account/2fa/verify/", {
        "token": _totp(expert["totp_key"]), "next": "/", "csrfmiddlewaretoken": _csrf(page)})
    assert verified.status_code == 302 and verified.headers["location"] == "/", verified.text[:500]
    # … and on with the verified session on either.
    for base in (web1, web2):
        home = browser.get(base, "/")
        assert home.status_code == 200, (base, home.headers.get("location"))
        assert expert["first_name"] in home.text

    # An urgent signal: the form from web 1, sent to web 2.
    path = reverse("collaboration:signal_create", kwargs={"trajectory_pk": seed["trajectory"]})
    form = browser.get(web1, path)
    assert form.status_code == 200
    sent = browser.post(web2, path, {
        "category": "work", "urgency": "urgent", "whole_team": "on",
        "text": "Werkgever vraagt of de proefplaatsing eerder kan starten.", "csrfmiddlewaretoken": _csrf(form)})
    assert sent.status_code == 302, sent.text[:800]
    assert sent.headers["location"] == reverse("collaboration:signals", kwargs={"trajectory_pk": seed["trajectory"]})

    # The sessions are in Redis: the web tier holds no state of its own.
    import redis

    from .stack import CACHE_DB, REDIS_URL

    cache = redis.Redis.from_url(f"{REDIS_URL}/{CACHE_DB}")
    assert any(b"sessions" in key for key in cache.keys("*")), cache.keys("*")
    cache.close()

    # From here on only the worker and beat act.
    # 1. The signal reached the plan director at once (the mail queue) …
    received = _wait_for("mail the signal", lambda: _mailed_notification(stack, "signal_received", jobcoach["pk"]), stack)
    assert _wait_for("write the signal's mail", lambda: _mail_with_link(stack, jobcoach["email"], received), stack)
    # … and escalated to them when nobody acknowledged it within the region's (shortened) time.
    with stack.connect() as db:
        signal_id = db.execute("SELECT id FROM collaboration_signal WHERE trajectory_id = %s",
                               [seed["trajectory"]]).fetchone()[0]

    def escalated():
        with stack.connect() as db:
            return db.execute("SELECT escalated_to_id FROM collaboration_signal WHERE id = %s AND escalated_at IS NOT NULL",
                              [signal_id]).fetchone()

    assert _wait_for("escalate the signal", escalated, stack) == (jobcoach["pk"],)
    escalation = _wait_for("mail the escalation",
                           lambda: _mailed_notification(stack, "signal_escalated", jobcoach["pk"]), stack)
    mail = _wait_for("write the escalation's mail", lambda: _mail_with_link(stack, jobcoach["email"], escalation), stack)
    assert "Cliënt" not in mail["Subject"] and "Stackcliënt" not in _text(mail)  # no client name in a mail

    # 2. The ambassador's reminder (the deadlines task, every few seconds in beat).
    reminder = _wait_for("mail the ambassador's reminder",
                         lambda: _mailed_notification(stack, "question_reminder", ambassador["pk"]), stack)
    assert _wait_for("write the reminder's mail", lambda: _mail_with_link(stack, ambassador["email"], reminder), stack)
    with stack.connect() as db:
        assert db.execute("SELECT reminded_at IS NOT NULL FROM ambassadors_question WHERE id = %s",
                          [seed["question"]]).fetchone() == (True,)

    # 3. The daily digest: the labour expert's "you joined a team" notice, in one digest mail.
    digested = _wait_for("send the digest", lambda: _mailed_notification(stack, "team_member", expert["pk"]), stack)
    digest = _wait_for("write the digest's mail", lambda: _mail_with_link(stack, expert["email"], digested), stack)
    assert digest["Subject"].startswith("Werkbrug: ")

    # 4. The access log of all these requests is sealed by the worker (the sealing queue).
    def sealed():
        with stack.connect() as db:
            newest = db.execute("SELECT max(id) FROM core_accesslogrecord").fetchone()[0]
            seal = db.execute("SELECT max(record_id) FROM core_accesslogseal").fetchone()[0]
        return newest is not None and seal is not None and seal >= newest

    _wait_for("seal the access log", sealed, stack)

    # Both web processes and the worker stayed up; no task failed.
    assert all(process.poll() is None for process in stack.processes.values())
    worker_log = stack.log("worker")
    assert "raised unexpected" not in worker_log and "Traceback" not in worker_log, worker_log[-3000:]
    print(f"\nwhole-stack test: started in {stack.started_in:.1f} s, flow in {time.monotonic() - began:.1f} s")
