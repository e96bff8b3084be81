"""Ambassador mail goes out after commit, and a mail server that is down breaks nothing."""

import pytest
from django.core import mail

from werkbrug.ambassadors import notify


@pytest.mark.django_db
def test_mail_is_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify._send("ambassadeur@example.org", "Onderwerp", "Tekst")
        assert mail.outbox == []  # not before the commit
    assert [m.to for m in mail.outbox] == [["ambassadeur@example.org"]]


@pytest.mark.django_db
def test_a_mail_server_that_is_down_is_logged_not_raised(monkeypatch, django_capture_on_commit_callbacks, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(notify, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notify._send("ambassadeur@example.org", "Onderwerp", "Tekst")
    assert "could not be sent" in caplog.text
