"""Benchmark: 10 000 notifications through the notification service and the worker's mail task.

    .venv/bin/python bench/notifications.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wb_bench_notify .venv/bin/python bench/notifications.py

Builds a throw-away test database with 500 professionals, then times
1. `notify` for 10 000 notifications (each an in-app row; the mail task queued after commit),
2. the worker's `send_notification_mail` for those wanted at once (mail kept in memory),
3. the daily digest (`send_digests`) for the rest,
and prints each figure with the rate per second.
"""

from __future__ import annotations

import time

from ambassadors_common import test_database

N = 10_000
PEOPLE = 500


def main() -> None:
    connection, old_name = test_database()
    try:
        from django.core import mail
        from django.db import transaction

        from werkbrug.core.choices import OrganisationType, Role
        from werkbrug.core.models import Organisation, Region, RoleAssignment, User
        from werkbrug.notifications import services
        from werkbrug.notifications.kinds import Kind
        from werkbrug.notifications.models import Notification
        from werkbrug.notifications.tasks import send_digests, send_notification_mail

        region = Region.objects.create(name="Benchregio", slug="bench")
        org = Organisation.objects.create(region=region, name="GGZ Bench", type=OrganisationType.GGZ)
        people = User.objects.bulk_create([
            User(username=f"bench{n}", email=f"bench{n}@example.org", region=region, organisation=org)
            for n in range(PEOPLE)])
        RoleAssignment.objects.bulk_create([RoleAssignment(person=p, role=Role.JOBCOACH) for p in people])
        kinds = [Kind.SIGNAL_RECEIVED, Kind.REFERRAL_ACCEPTED, Kind.QUESTION_RECEIVED, Kind.ACTION_DUE]
        queued: list[int] = []
        real_delay = send_notification_mail.delay
        send_notification_mail.delay = lambda pk: queued.append(pk)  # the worker runs below, timed apart
        try:
            started = time.perf_counter()
            with transaction.atomic():
                for n in range(N):
                    services.notify(recipient=people[n % PEOPLE], kind=kinds[n % len(kinds)],
                                    link=f"/collaboration/trajectories/{n}/signals/", ref_number=n + 1)
            made = time.perf_counter() - started
        finally:
            send_notification_mail.delay = real_delay
        print(f"notify: {N} notifications in {made:.2f} s ({N / made:,.0f}/s); {len(queued)} mails queued for the worker "
              f"({connection.vendor})")
        started = time.perf_counter()
        for pk in queued:
            send_notification_mail(pk)
        sent = time.perf_counter() - started
        print(f"worker: {len(queued)} immediate mails in {sent:.2f} s ({len(queued) / sent:,.0f}/s); outbox {len(mail.outbox)}")
        mail.outbox.clear()
        started = time.perf_counter()
        digests = send_digests()
        took = time.perf_counter() - started
        rest = Notification.objects.filter(mailed_at__isnull=False).count()
        print(f"digest: {digests} digests covering {rest - len(queued)} notifications in {took:.2f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
