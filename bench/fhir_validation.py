"""Benchmark: what validating every FHIR answer with fhir.resources costs a CarePlan search.

    .venv/bin/python bench/fhir_validation.py

Builds a throw-away test database with the demo region, registers a system acting for the
person who sees the most CarePlans, and times `GET /fhir/R4/CarePlan?_count=100` through the
whole stack (token, policy, access log, selectors) with FHIR_VALIDATION "raise" (every answer
checked against the R4B models, as in the tests) and "off" (the default). It also times the
check alone, and validating and serialising from the model (without the round-trip comparison),
on a Bundle of exactly 100 CarePlans (the demo's plans repeated with their own ids)
against `json.dumps` of the same dict.
"""

from __future__ import annotations

import json

from ambassadors_common import test_database, timed

RUNS = 15


def main() -> None:
    connection, old_name = test_database()
    try:
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from werkbrug.core.models import User
        from werkbrug.interchange.fhir import base
        from werkbrug.interchange.fhir.resources.careplan import careplan_search
        from werkbrug.interchange.fhir.validation import check, validated
        from werkbrug.interchange.models import all_scopes
        from werkbrug.interchange.services import system_register, token_issue

        call_command("demo", quiet=True)
        probe = base.Search(count=100, offset=0, patient=None, status=None, updated=(), identifier=None,
                            query={"_count": "100"})
        best, most = None, -1
        for person in User.objects.filter(is_active=True, organisation__isnull=False).order_by("pk")[:80]:
            found = len(careplan_search(person, probe)[0])
            if found > most:
                best, most = person, found
        admin = User.objects.filter(role_assignments__role="region_admin").first()
        system, _secret = system_register(actor=admin, organisation=best.organisation, name="Bench",
                                          scopes=all_scopes(), acting_person=best)
        _token, secret, _scope = token_issue(system=system, scope="")
        client = Client()

        def request() -> dict:
            response = client.get("/fhir/R4/CarePlan?_count=100", HTTP_AUTHORIZATION=f"Bearer {secret}")
            assert response.status_code == 200, response.content[:300]
            return json.loads(response.content)

        settings.FHIR_VALIDATION = "raise"
        answer = request()
        served, _, _ = timed(request, RUNS)
        settings.FHIR_VALIDATION = "off"
        plain, _, _ = timed(request, RUNS)
        plans = [e["resource"] for e in answer.get("entry", [])]
        print(f"CarePlan search, {len(plans)} CarePlans: checked {served:.1f} ms, "
              f"off {plain:.1f} ms, difference {served - plain:.1f} ms "
              f"({(served - plain) / served * 100:.0f} % of the checked request)")

        hundred = dict(answer)
        hundred["entry"] = [{**answer["entry"][n % len(plans)],
                             "resource": {**plans[n % len(plans)], "id": str(n + 1)}} for n in range(100)]
        content = json.dumps(hundred, ensure_ascii=False)
        checking, _, _ = timed(lambda: check(content), RUNS)
        model, _, _ = timed(lambda: validated(hundred), RUNS)
        dump, _, _ = timed(lambda: json.dumps(hundred, ensure_ascii=False, default=str), RUNS)
        print(f"Bundle of 100 CarePlans ({len(content) // 1024} KiB): check {checking:.1f} ms, "
              f"validate and serialise from the model {model:.1f} ms, json.dumps {dump:.1f} ms "
              f"(median of {RUNS})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
