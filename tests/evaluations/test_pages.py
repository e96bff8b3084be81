"""The research pages and exports end to end through the test client, with privacy checks."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.core.models import AccessLogRecord
from werkbrug.evaluations.models import Allocation, Answer, Coding


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 6, 1), tick=True):
        yield


def study_urls(populated):
    s = populated.study.pk
    return [
        f"/research/studies/{s}/",
        f"/research/studies/{s}/participants/{populated.people[0].pk}/",
        f"/research/studies/{s}/questionnaires/{populated.questionnaire.pk}/",
        f"/research/studies/{s}/interviews/",
        f"/research/studies/{s}/interviews/{populated.interview.pk}/",
        f"/research/studies/{s}/codes/",
        f"/research/studies/{s}/agreement/",
        f"/research/studies/{s}/expectations/",
        f"/research/studies/{s}/outcomes/",
        f"/research/studies/{s}/report/",
        f"/research/studies/{s}/report/?kind=interim",
        f"/api/v1/research/studies/{s}/",
        f"/api/v1/research/studies/{s}/participants/",
        f"/api/v1/research/studies/{s}/questionnaires/{populated.questionnaire.pk}/results/",
        f"/api/v1/research/studies/{s}/outcomes/",
    ]


def export_urls(populated):
    s = populated.study.pk
    return [
        f"/research/studies/{s}/export/?table=participants&format=csv",
        f"/research/studies/{s}/export/?table=answers&format=csv",
        f"/research/studies/{s}/export/?table=stages&format=csv",
        f"/research/studies/{s}/export/?table=codings&format=csv",
        f"/research/studies/{s}/export/?table=codebook&format=csv",
        f"/research/studies/{s}/export/?table=participants&format=sav",
        f"/research/studies/{s}/export/?format=xlsx",
        f"/research/studies/{s}/codes/export.csv",
        f"/research/studies/{s}/codes/export.qdc",
    ]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_research_request_is_logged_once(populated, research, client, today):
    client.force_login(research.researcher)
    assert_each_request_logged_once(client, [("get", u) for u in study_urls(populated)])


def test_every_export_is_logged_once_with_code_e(populated, research, client, today):
    client.force_login(research.researcher)
    for url in export_urls(populated):
        before = AccessLogRecord.objects.count()
        response = client.get(url)
        _body(response)
        assert response.status_code == 200, url
        assert AccessLogRecord.objects.count() == before + 1, url
        record = AccessLogRecord.objects.latest("id")
        assert (record.code, record.action, record.granted) == ("E", "study.export", True), url


def test_participant_page_logs_the_platform_pseudonym_but_never_shows_it(populated, research, client, today):
    client.force_login(research.researcher)
    participant = populated.people[0]
    body = client.get(f"/research/studies/{populated.study.pk}/participants/{participant.pk}/").content.decode()
    record = AccessLogRecord.objects.latest("id")
    assert record.client_pseudonym == participant.client.pseudonym
    assert record.data_category == "research"
    assert participant.study_pseudonym in body
    assert participant.client.pseudonym not in body


def identifying_strings(clients) -> list[str]:
    out = []
    for c in clients:
        out += [c.last_name, c.email, c.phone, c.pseudonym, c.date_of_birth.isoformat()]
        if c.has_bsn:
            out.append(c.reveal_bsn())
    return [s for s in out if s]


def test_nothing_a_researcher_sees_identifies_a_client(populated, research, client, today, tmp_path):
    """Privacy: no name, BSN, contact detail, birth date or platform pseudonym in any page, API
    answer, export or report a researcher can open."""
    import pyreadstat
    from openpyxl import load_workbook

    client.force_login(research.researcher)
    secrets = identifying_strings(populated.clients)
    assert any(s == "111222333" for s in secrets)  # the fixture's one BSN is among them
    for url in study_urls(populated) + export_urls(populated) + ["/research/", "/api/v1/research/studies/"]:
        response = client.get(url)
        data = _body(response)
        texts = [data.decode("utf-8", errors="ignore")]
        if "format=xlsx" in url:
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            texts = [" ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None) for ws in workbook]
        if "format=sav" in url:
            path = tmp_path / "privacy.sav"
            path.write_bytes(data)
            frame, meta = pyreadstat.read_sav(str(path))
            texts = [frame.to_csv(), str(meta.column_names_to_labels), str(meta.variable_value_labels)]
        for text in texts:
            for secret in secrets:
                assert secret not in text, f"{url} shows {secret!r}"
    pdf = client.get(f"/research/studies/{populated.study.pk}/report/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_sav_export_reads_back_with_labels(populated, research, client, today, tmp_path):
    import pyreadstat

    client.force_login(research.researcher)
    response = client.get(f"/research/studies/{populated.study.pk}/export/?table=participants&format=sav")
    path = tmp_path / "study.sav"
    path.write_bytes(_body(response))
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 9  # one row per participant (all with consent)
    labels = meta.column_names_to_labels
    assert labels["arm"] == "Groep"  # the interface language (Dutch) labels the variables
    assert labels["paid_d90"] == "Betaald werk na 90 dagen"
    assert meta.variable_value_labels["arm"] == {1.0: "Ervaringsdeskundige + MI", 2.0: "Gebruikelijke ondersteuning"}
    assert meta.variable_value_labels["job_event"] == {0.0: "Nee (gecensureerd)", 1.0: "Ja"}
    grade_column = next(c for c in frame.columns if c.endswith("_grade"))
    assert grade_column not in meta.variable_value_labels  # a grade is its own value: no "10 = 10"
    assert sorted(frame[grade_column].dropna().tolist()) == [6.0, 6.0, 7.0, 8.0, 9.0]
    assert set(frame["participant"]) == {p.study_pseudonym for p in populated.people}


def test_csv_export_is_streamed_and_one_row_per_participant(populated, research, client, today):
    import csv

    client.force_login(research.researcher)
    response = client.get(f"/research/studies/{populated.study.pk}/export/?table=participants&format=csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows[0][:4] == ["participant", "arm", "stratum", "stage"]
    assert len(rows) == 1 + 9


def test_xlsx_has_every_table(populated, research, client, today):
    from openpyxl import load_workbook

    client.force_login(research.researcher)
    data = _body(client.get(f"/research/studies/{populated.study.pk}/export/?format=xlsx"))
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["participants", "stages", "answers", "codings", "codebook"]


@pytest.mark.parametrize("who", ["jobcoach", "outsider_researcher", "anonymous"])
def test_export_by_a_non_researcher_is_refused(populated, research, client, make_person, make_org, who, today):
    from werkbrug.core.choices import OrganisationType, Role

    if who == "jobcoach":
        client.force_login(research.jobcoach)
    elif who == "outsider_researcher":  # a researcher, but not in this study's team
        client.force_login(make_person(make_org(OrganisationType.RESEARCH, "Ander instituut"), Role.RESEARCHER))
    before = AccessLogRecord.objects.count()
    response = client.get(f"/research/studies/{populated.study.pk}/export/?table=participants&format=csv")
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 404  # like a missing study: a 403 would confirm that it exists
    record = AccessLogRecord.objects.latest("id")
    assert AccessLogRecord.objects.count() == before + 1
    assert (record.code, record.granted) == ("E", False)


def test_researcher_of_another_region_sees_nothing(populated, client, make_person, other_region, today):
    from werkbrug.core.choices import OrganisationType, Role
    from werkbrug.core.models import Organisation

    institute = Organisation.objects.create(region=other_region, name="Elders", type=OrganisationType.RESEARCH)
    stranger = make_person(institute, Role.RESEARCHER)
    populated.study.researchers.add(stranger)  # even if wrongly added, the region check holds
    client.force_login(stranger)
    assert client.get(f"/research/studies/{populated.study.pk}/").status_code == 404
    assert client.get("/api/v1/research/studies/").json() == []


def test_study_list_query_count(populated, research, client, django_assert_max_num_queries, make_study, today):
    for n in range(5):
        make_study(title=f"Studie {n}")
    client.force_login(research.researcher)
    with django_assert_max_num_queries(12):
        response = client.get("/research/")
    assert response.content.decode().count("/research/studies/") >= 6


def test_study_page_query_count_does_not_grow_per_participant(populated, research, client, django_assert_max_num_queries, today):
    client.force_login(research.researcher)
    with django_assert_max_num_queries(30):
        assert client.get(f"/research/studies/{populated.study.pk}/").status_code == 200


def test_create_study_randomise_and_code_through_the_pages(research, client, today):
    from werkbrug.evaluations.models import Participant

    client.force_login(research.researcher)
    response = client.post("/research/studies/new/", {
        "title": "MI-studie", "research_question": "Helpt MI?", "design": "rct", "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "arm_1": "MI", "arm_2": "Gebruikelijk", "ratio": "1:1", "follow_up_days": "90, 180",
    })
    assert response.status_code == 302
    study_pk = int(re.search(r"/studies/(\d+)/", response["Location"]).group(1))
    research.client()
    page = client.get(f"/research/studies/{study_pk}/").content.decode()
    assert "Start het onderzoek" in page and "Concept verwijderen" in page  # a draft
    client.post(f"/research/studies/{study_pk}/enrol/")  # refused in a draft
    assert not Participant.objects.filter(study_id=study_pk).exists()
    client.post(f"/research/studies/{study_pk}/lifecycle/", {"action": "start"})
    client.post(f"/research/studies/{study_pk}/enrol/")
    participant = Participant.objects.get(study_id=study_pk)
    url = f"/research/studies/{study_pk}/participants/{participant.pk}/"
    client.post(url, {"action": "stage", "stage": "informed"})
    client.post(url, {"action": "stage", "stage": "consented"})
    before = AccessLogRecord.objects.count()
    client.post(url, {"action": "randomise"})
    assert AccessLogRecord.objects.count() == before + 1  # the service logs; the view does not again
    assert Allocation.objects.filter(participant=participant).exists()
    response = client.post(url, {"action": "randomise"}, follow=True)
    assert "al geloot" in response.content.decode() or "already been randomised" in response.content.decode()
    assert Allocation.objects.filter(participant=participant).count() == 1
    # interview round → interview → code → coding
    client.post(f"/research/studies/{study_pk}/interviews/", {"action": "round", "r-title": "Verwachtingen"})
    round_pk = Participant.objects.get(pk=participant.pk).study.rounds.get().pk
    response = client.post(f"/research/studies/{study_pk}/interviews/", {
        "action": "interview", "round": round_pk, "i-label": "R1-01", "i-respondent_role": "client",
        "i-held_on": "2026-05-01", "i-transcript": "Eerste stuk.\n\nTweede stuk.",
    })
    assert response.status_code == 302
    client.post(f"/research/studies/{study_pk}/codes/", {"action": "code", "c-name": "Motivatie"})
    from werkbrug.evaluations.models import Code, Passage

    code = Code.objects.get(study_id=study_pk)
    passage = Passage.objects.get(interview__round_id=round_pk, number=2)
    interview_url = response["Location"]
    client.post(interview_url, {"action": "code", "passage": passage.pk, "code": code.pk, "level": "client"})
    assert Coding.objects.filter(passage=passage, code=code, coder=research.researcher).exists()


def test_questionnaire_builder_send_and_portal_response(research, make_study, client, today):
    from werkbrug.core.choices import UserKind
    from werkbrug.core.models import User
    from werkbrug.evaluations import services

    study = make_study()
    c = research.client()
    services.participants_enrol_eligible(study=study, enrolled_by=research.researcher)
    client.force_login(research.researcher)
    response = client.post(f"/research/studies/{study.pk}/questionnaires/new/", {"title": "Tevredenheid"})
    q_url = response["Location"]
    client.post(q_url, {"action": "question", "q-text": "Welk cijfer?", "q-code": "grade", "q-type": "grade", "q-required": "on"})
    client.post(q_url, {"action": "question", "q-text": "Hoe ging het?", "q-code": "how", "q-type": "text"})
    client.post(q_url, {"action": "send", "s-to_participants": "on", "s-kind": "employer", "s-emails": "baas@example.org"})
    portal_user = User.objects.create_user(username="sanne", password="x" * 16, kind=UserKind.CLIENT, region=c.region)
    c.user = portal_user
    c.save(update_fields=["user"])
    client.force_login(portal_user)
    listing = client.get("/research/my-questionnaires/").content.decode()
    link = re.search(r'href="(/research/my-questionnaires/\d+/)"', listing).group(1)
    bad = client.post(link, {"q_grade": "11", "q_how": "Goed"})
    assert bad.status_code == 400
    assert "1 tot en met 10" in bad.content.decode() or "1 to 10" in bad.content.decode()
    assert not Answer.objects.exists()
    before = AccessLogRecord.objects.count()
    ok = client.post(link, {"q_grade": "8", "q_how": "Goed"})
    assert ok.status_code == 302
    assert AccessLogRecord.objects.count() == before + 1
    assert Answer.objects.get(question__code="grade").number == 8
    # the employer answers by personal link, without signing in
    from werkbrug.evaluations.models import Invitation

    client.logout()
    token = Invitation.objects.get(email="baas@example.org").token
    assert client.post(f"/research/q/{token}/", {"q_grade": "7"}).status_code == 302
    assert client.post(f"/research/q/{token}/", {"q_grade": "7"}).status_code == 400  # answered already
    assert client.get("/research/q/not-a-token/").status_code == 404


def test_refi_qda_round_trip_through_the_pages(populated, research, client, make_study, today):
    client.force_login(research.researcher)
    qdc = _body(client.get(f"/research/studies/{populated.study.pk}/codes/export.qdc"))
    assert b"urn:QDA-XML:codebook:1.0" in qdc
    other = make_study(title="Kopie")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/research/studies/{other.pk}/codes/", {
        "action": "import", "f-file": SimpleUploadedFile("codes.qdc", qdc, content_type="application/xml"),
    })
    assert response.status_code == 302
    qdc_again = _body(client.get(f"/research/studies/{other.pk}/codes/export.qdc"))
    assert qdc_again == qdc
    csv_a = _body(client.get(f"/research/studies/{populated.study.pk}/codes/export.csv"))
    assert csv_a == _body(client.get(f"/research/studies/{other.pk}/codes/export.csv"))


def test_fidelity_page(research, client, today):
    client.force_login(research.researcher)
    data = {"organisation": research.ggz.pk, "team_name": "IPS Noord", "reviewed_on": "2026-05-01"}
    data.update({f"item_{i}": "4" for i in range(1, 26)})
    data["item_25"] = "9"
    assert client.post("/research/fidelity/", data).status_code == 400
    data["item_25"] = "2"
    assert client.post("/research/fidelity/", data).status_code == 302
    page = client.get("/research/fidelity/").content.decode()
    assert "IPS Noord" in page and "98" in page


def test_portal_pages_are_logged_once(populated, client, today):
    from werkbrug.core.choices import UserKind
    from werkbrug.core.models import User

    invitation = [i for i in populated.invitations if i.participant_id][6]
    c = invitation.participant.client
    user = User.objects.create_user(username="p2", password="x" * 16, kind=UserKind.CLIENT, region=c.region)
    c.user = user
    c.save(update_fields=["user"])
    client.force_login(user)
    assert_each_request_logged_once(client, [
        ("get", "/research/my-questionnaires/"), ("get", f"/research/my-questionnaires/{invitation.pk}/"),
    ])
    other = [i for i in populated.invitations if i.participant_id][7]
    assert client.get(f"/research/my-questionnaires/{other.pk}/").status_code == 404


def test_agreement_api_is_logged_once(populated, research, client, today):
    client.force_login(research.researcher)
    a, b = research.researcher.pk, research.second.pk
    assert_each_request_logged_once(client, [
        ("get", f"/api/v1/research/studies/{populated.study.pk}/agreement/?a={a}&b={b}"),
        ("get", f"/research/studies/{populated.study.pk}/agreement/?a={a}&b={b}"),
    ])


def test_exports_through_the_api_are_the_same_files_and_logged_once(populated, research, client, today):
    client.force_login(research.researcher)
    study = populated.study.pk
    for query in ("table=participants&format=csv", "table=answers&format=sav", "format=xlsx"):
        page = _body(client.get(f"/research/studies/{study}/export/?{query}"))
        before = AccessLogRecord.objects.count()
        api = client.get(f"/api/v1/research/studies/{study}/export/?{query}")
        assert api.status_code == 200, query
        body = _body(api)
        assert AccessLogRecord.objects.count() == before + 1
        assert AccessLogRecord.objects.latest("id").code == "E"
        if "csv" in query:
            assert body == page
    codebook = client.get(f"/api/v1/research/studies/{study}/codebook.qdc")
    assert codebook.status_code == 200 and b"<CodeBook" in codebook.content
    bad = client.get(f"/api/v1/research/studies/{study}/export/?format=pdf")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "format"


def test_api_export_by_a_jobcoach_is_refused_and_logged(populated, research, client, today):
    client.force_login(research.jobcoach)
    before = AccessLogRecord.objects.count()
    response = client.get(f"/api/v1/research/studies/{populated.study.pk}/export/")
    assert response.status_code in (403, 404)
    assert response["Content-Type"] == "application/problem+json"
    assert AccessLogRecord.objects.count() == before + 1
