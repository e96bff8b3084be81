"""REDCap data dictionary: export with REDCap's columns, import with a dry run and line-numbered
errors, a round trip that keeps every question, and a hand-written REDCap sample."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.api import assert_problem
from werkbrug.evaluations import redcap, services
from werkbrug.evaluations.models import Question

pytestmark = pytest.mark.django_db

HEADER = (
    '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
    '"Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number",'
    '"Text Validation Min","Text Validation Max","Identifier?","Branching Logic (Show field only if...)",'
    '"Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?",'
    '"Field Annotation"'
)

QUESTIONS = [
    {"code": "works", "text": "Heeft u werk?", "type": "single", "choices": ["Ja", "Nee"]},
    {
        "code": "hours",
        "text": "Hoeveel uur per week?",
        "type": "number",
        "min_value": 0,
        "max_value": 80,
        "decimals": 1,
        "show_if": "works",
        "show_if_value": "Ja",
    },
    {
        "code": "days",
        "text": "Hoeveel dagen verzuim?",
        "type": "number",
        "min_value": 0,
        "decimals": 0,
        "required": False,
    },
    {"code": "income", "text": "Netto inkomen per maand?", "type": "number", "required": False},
    {
        "code": "grade",
        "text": "Welk cijfer geeft u uw werk?",
        "type": "grade",
        "show_if": "works",
        "show_if_value": "1",
    },
    {
        "code": "proud",
        "text": "Trots op het cijfer?",
        "type": "single",
        "choices": ["Ja", "Nee"],
        "show_if": "grade",
        "show_if_value": "6,5",
    },
    {
        "code": "calm",
        "text": "Ik voel me rustig",
        "type": "likert",
        "scale_points": 7,
        "scale_labels": ["Nooit", "Zelden", "Soms", "Regelmatig", "Vaak", "Meestal", "Altijd"],
    },
    {"code": "helped", "text": "De begeleiding hielp mij", "type": "likert"},
    {
        "code": "support",
        "text": "Welke steun kreeg u?",
        "type": "multiple",
        "choices": ["Gesprek", "Groep", "Werkplek"],
        "required": False,
    },
    {
        "code": "group_size",
        "text": "Hoe groot was de groep?",
        "type": "number",
        "show_if": "support",
        "show_if_value": "Groep",
        "decimals": 0,
    },
    {"code": "story", "text": "=Vertel: wat hielp?", "type": "text", "required": False},
]

FIELDS = (
    "order",
    "code",
    "text",
    "type",
    "choices",
    "required",
    "min_value",
    "max_value",
    "decimals",
    "scale_points",
    "scale_labels",
    "show_if_value",
)


def _upload(text: str, name: str = "dictionary.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _snapshot(questionnaire) -> list[tuple]:
    rows = []
    for q in questionnaire.questions.select_related("show_if_question").order_by("order"):
        rows.append(
            (
                *(getattr(q, f) for f in FIELDS),
                q.show_if_question.code if q.show_if_question else None,
            )
        )
    return rows


@pytest.fixture
def source(research, make_study):
    study = make_study()
    return services.questionnaire_create(
        study=study, title="Werk & rust 2026", created_by=research.researcher, questions=QUESTIONS
    )


@pytest.fixture
def empty(research, source):
    return services.questionnaire_create(
        study=source.study, title="Leeg", created_by=research.researcher
    )


def test_export_has_redcaps_columns_and_field_types(source):
    text = redcap.dictionary_csv(source, list(source.questions.order_by("order")))
    assert (
        next(csv.reader(io.StringIO(text)))
        == next(csv.reader(io.StringIO(HEADER)))
        == redcap.COLUMNS
    )
    assert len(redcap.COLUMNS) == 18
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == redcap.COLUMNS
    by_name = {r["Variable / Field Name"]: r for r in rows}
    assert rows[0]["Variable / Field Name"] == "record_id" and rows[0]["Field Type"] == "text"
    assert {r["Form Name"] for r in rows} == {"werk_rust_2026"}
    assert (
        by_name["works"]["Field Type"] == "radio"
        and by_name["works"]["Choices, Calculations, OR Slider Labels"] == "1, Ja | 2, Nee"
    )
    assert by_name["works"]["Required Field?"] == "y" and by_name["days"]["Required Field?"] == ""
    hours = by_name["hours"]
    assert (
        hours["Field Type"],
        hours["Text Validation Type OR Show Slider Number"],
        hours["Text Validation Min"],
        hours["Text Validation Max"],
    ) == ("text", "number_1dp", "0", "80")
    assert hours["Branching Logic (Show field only if...)"] == "[works] = '1'"
    assert by_name["days"]["Text Validation Type OR Show Slider Number"] == "integer"
    assert by_name["income"]["Text Validation Type OR Show Slider Number"] == "number"
    assert by_name["grade"]["Field Annotation"] == "werkbrug:grade"
    assert by_name["proud"]["Branching Logic (Show field only if...)"] == "[grade] = '6.5'"
    assert by_name["calm"]["Choices, Calculations, OR Slider Labels"].startswith(
        "1, Nooit | 2, Zelden"
    )
    assert by_name["calm"]["Field Annotation"] == "werkbrug:likert"
    assert by_name["support"]["Field Type"] == "checkbox"
    assert by_name["group_size"]["Branching Logic (Show field only if...)"] == "[support(2)] = '1'"
    assert by_name["story"]["Field Type"] == "notes"
    assert by_name["story"]["Field Label"] == "'=Vertel: wat hielp?"  # formula-escaped


def test_round_trip_gives_the_same_questions(source, empty, research):
    text = redcap.dictionary_csv(source, list(source.questions.order_by("order")))
    dry = services.questionnaire_dictionary_import(
        questionnaire=empty, upload=_upload(text), imported_by=research.researcher
    )
    assert (
        dry.ok
        and not dry.stored
        and [q["code"] for q in dry.questions] == [q["code"] for q in QUESTIONS]
    )
    assert not empty.questions.exists()  # a dry run stores nothing
    assert dry.warnings == [
        "Regel 2: “record_id” is de record-identificatie van REDCap: weggelaten."
    ]
    stored = services.questionnaire_dictionary_import(
        questionnaire=empty, upload=_upload(text), imported_by=research.researcher, dry_run=False
    )
    assert stored.stored
    assert _snapshot(empty) == _snapshot(source)
    assert empty.questions.get(code="proud").show_if_value == "6.5"
    # and once more: the dictionary of the copy is the dictionary of the source (bar the form name)
    again = redcap.dictionary_csv(empty, list(empty.questions.order_by("order")))
    assert again.replace("leeg", "werk_rust_2026") == text


SAMPLE = (
    HEADER
    + "\r\n"
    + "\r\n".join(
        [
            "record_id,baseline,,text,Record ID,,,,,,,,,,,,,",
            'intro,baseline,Werk,descriptive,"<b>Over uw werk</b>",,,,,,,,,,,,,',
            'employed,baseline,,yesno,"Heeft u op dit moment betaald werk?",,,,,,,,y,,,,,',
            'hours_week,baseline,,text,"Hoeveel uur werkt u per week?",,"uren",integer,0,60,,"[employed] = \'1\'",y,,,,,',
            'sector,baseline,,dropdown,"In welke sector?","0, Zorg | 1, Techniek | 2, Overig",,,,,,"[employed]=\'1\'",,,,,,',
            'sector_other,baseline,,text,"Welke andere sector?",,,,,,,"[sector] = \'2\'",,,,,,',
            'support,baseline,,checkbox,"Welke steun kreeg u?","1, Jobcoach | 2, Ervaringsdeskundige | 3, Schuldhulp",,,,,,,,,,,,',
            'debt_worry,baseline,,slider,"Hoeveel zorgen maakt u zich over schulden?","Geen | | Veel",,number,,,,"[support(3)] = \'1\'",,,,,,',
            'mood,baseline,,text,"Uw stemming (cijfer met een decimaal)",,,number_1dp,1,10,,,y,,,,,',
            'remarks,baseline,,notes,"Opmerkingen",,,,,,,,,,,,,',
            'followup_job,followup,,yesno,"Werkt u nog?",,,,,,,,y,,,,,',
        ]
    )
)


def test_a_hand_written_redcap_dictionary(empty, research):
    dry = services.questionnaire_dictionary_import(
        questionnaire=empty, upload=_upload(SAMPLE), imported_by=research.researcher
    )
    assert not dry.ok and dry.forms == ["baseline", "followup"]
    assert dry.errors == [
        "De datadictionary heeft meer dan één formulier (baseline, followup): kies er één."
    ]
    result = services.questionnaire_dictionary_import(
        questionnaire=empty,
        upload=_upload(SAMPLE),
        form="baseline",
        imported_by=research.researcher,
        dry_run=False,
    )
    assert result.ok and result.stored, result.errors
    assert result.warnings == [
        "Regel 2: “record_id” is de record-identificatie van REDCap: weggelaten.",
        "Regel 3: “intro” is beschrijvende tekst, geen vraag: weggelaten.",
        "Regel 6: De codes van “sector” (0, 1, 2) worden in Werkbrug genummerd van 1 tot en met 3.",
    ]
    q = {x.code: x for x in empty.questions.select_related("show_if_question")}
    assert list(empty.questions.order_by("order").values_list("code", flat=True)) == [
        "employed",
        "hours_week",
        "sector",
        "sector_other",
        "support",
        "debt_worry",
        "mood",
        "remarks",
    ]
    assert (q["employed"].type, q["employed"].choices, q["employed"].required) == (
        "single",
        ["Ja", "Nee"],
        True,
    )
    hours = q["hours_week"]
    assert (hours.type, hours.min_value, hours.max_value, hours.decimals) == (
        "number",
        Decimal(0),
        Decimal(60),
        0,
    )
    assert (hours.show_if_question.code, hours.show_if_value) == ("employed", "1")  # yes = 1
    assert (q["sector"].type, q["sector"].choices, q["sector"].required) == (
        "single",
        ["Zorg", "Techniek", "Overig"],
        False,
    )
    assert (q["sector_other"].type, q["sector_other"].show_if_value) == (
        "text",
        "3",
    )  # REDCap code 2 = third choice
    assert (q["support"].type, q["support"].choices) == (
        "multiple",
        ["Jobcoach", "Ervaringsdeskundige", "Schuldhulp"],
    )
    worry = q["debt_worry"]
    assert (worry.type, worry.min_value, worry.max_value, worry.decimals) == (
        "number",
        Decimal(0),
        Decimal(100),
        0,
    )
    assert (worry.show_if_question.code, worry.show_if_value) == ("support", "3")
    assert (q["mood"].type, q["mood"].decimals, q["mood"].min_value) == ("number", 1, Decimal(1))
    assert q["remarks"].type == "text"
    # the imported branching works as the builder's own: "Overig" shows the follow-up question
    from werkbrug.evaluations import builder

    questions = list(empty.questions.order_by("order"))
    asked = builder.shown(questions, {"employed": "1", "sector": "3", "support": ["3"]})
    assert {x.code for x in questions if x.pk in asked} == set(q)
    asked = builder.shown(questions, {"employed": "2", "support": ["1"]})
    assert {x.code for x in questions if x.pk in asked} == {
        "employed",
        "support",
        "mood",
        "remarks",
    }


def test_errors_name_their_line_and_nothing_is_stored(empty, research):
    services.question_add(
        questionnaire=empty, added_by=research.researcher, code="keep", text="Blijft", type="text"
    )
    bad = (
        HEADER
        + "\r\n"
        + "\r\n".join(
            [
                "record_id,f,,text,Record ID,,,,,,,,,,,,,",
                'ok,f,,yesno,"Goed?",,,,,,,,,,,,,',
                'when,f,,text,"Wanneer?",,,date_ymd,,,,,,,,,,',
                'score,f,,calc,"Som",[a]+[b],,,,,,,,,,,,',
                'pick,f,,radio,"Kies","1, A | 1, B",,,,,,,,,,,,',
                "then,f,,notes,\"Dan?\",,,,,,,\"[ok] = '1' and [x] = '2'\",,,,,,",
                'later,f,,notes,"Later?",,,,,,,"[nothing] = \'1\'",,,,,,',
                'Bad Name,f,,notes,"Naam?",,,,,,,,,,,,,',
                'ok,f,,notes,"Weer ok?",,,,,,,,,,,,,',
                'limits,f,,text,"Getal",,,integer,10,1,,,,,,,,',
            ]
        )
    )
    result = services.questionnaire_dictionary_import(
        questionnaire=empty, upload=_upload(bad), imported_by=research.researcher, dry_run=False
    )
    assert not result.stored
    lines = [e.split(":", 1)[0] for e in result.errors]
    assert lines == [
        "Regel 4",
        "Regel 5",
        "Regel 6",
        "Regel 7",
        "Regel 8",
        "Regel 10",
        "Regel 9",
        "Regel 11",
    ]
    assert "date_ymd" in result.errors[0] and "calc" in result.errors[1]
    assert result.errors[6].startswith("Regel 9: Een naam van een variabele")
    assert list(empty.questions.values_list("code", flat=True)) == ["keep"]  # untouched


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "leeg"),
        (b"\xff\xfe\x00\x00garbage", "UTF-8"),
        (b"naam,vraag\r\nx,y\r\n", "geen REDCap-datadictionary"),
        (HEADER.encode() + b"\r\n" + b'x,f,,text,"' + b"a" * 2500 + b'",,,,,,,,,,,,,\r\n', "2000"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_a_message(empty, research, content, fragment):
    upload = SimpleUploadedFile("d.csv", content, content_type="text/csv")
    result = services.questionnaire_dictionary_import(
        questionnaire=empty, upload=upload, imported_by=research.researcher
    )
    assert not result.ok and fragment in " ".join(result.errors), result.errors


def test_a_too_large_file_is_refused(empty, research):
    upload = SimpleUploadedFile("d.csv", (HEADER + "\r\n").encode() + b"x" * (2 * 1024 * 1024 + 1))
    result = services.questionnaire_dictionary_import(
        questionnaire=empty, upload=upload, imported_by=research.researcher
    )
    assert not result.ok and "MB" in result.errors[0]


def test_an_answered_questionnaire_takes_no_dictionary(source, research):
    [invitation] = services.questionnaire_send(
        questionnaire=source,
        sent_by=research.researcher,
        to_participants=False,
        links=[("employer", "w@example.org")],
    )
    services.response_submit(
        invitation=invitation, answers={"works": "2", "calm": "3", "helped": "4"}
    )
    text = redcap.dictionary_csv(source, list(source.questions.all()))
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_dictionary_import(
            questionnaire=source, upload=_upload(text), imported_by=research.researcher
        )
    assert exc.value.code == "has_responses"


def test_page_download_dry_run_and_store(api, source, empty):
    study = source.study
    base = f"/research/studies/{study.pk}/questionnaires/"
    download = api.get(f"{base}{source.pk}/dictionary.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert 'filename="werk_rust_2026_datadictionary.csv"' in download["Content-Disposition"]
    text = download.content.decode()
    page = api.get(f"{base}{empty.pk}/dictionary/")
    assert (
        page.status_code == 200 and "Een REDCap-datadictionary importeren" in page.content.decode()
    )
    checked = api.post(f"{base}{empty.pk}/dictionary/", {"file": _upload(text)})
    assert checked.status_code == 200 and "Proefrun: geen fouten" in checked.content.decode()
    assert not empty.questions.exists()
    stored = api.post(f"{base}{empty.pk}/dictionary/", {"file": _upload(text), "store": "on"})
    assert stored.status_code == 302 and stored["Location"].endswith(f"{base}{empty.pk}/")
    assert _snapshot(empty) == _snapshot(source)
    broken = api.post(f"{base}{empty.pk}/dictionary/", {"file": _upload("a,b\r\n1,2\r\n")})
    assert broken.status_code == 400 and "geen REDCap-datadictionary" in broken.content.decode()


def test_api_download_and_upload(api, source, empty):
    study = source.study
    base = f"/api/v1/research/studies/{study.pk}/questionnaires/"
    text = api.get(f"{base}{source.pk}/dictionary.csv").content.decode()
    dry = api.post(f"{base}{empty.pk}/dictionary/", {"file": _upload(text)})
    assert dry.status_code == 200 and dry.json()["questions"] == [q["code"] for q in QUESTIONS]
    assert dry.json()["stored"] is False and not empty.questions.exists()
    stored = api.post(f"{base}{empty.pk}/dictionary/", {"file": _upload(text), "dry_run": "false"})
    assert stored.status_code == 200 and stored.json()["stored"] is True
    assert Question.objects.filter(questionnaire=empty).count() == len(QUESTIONS)
    bad = api.post(f"{base}{empty.pk}/dictionary/", {"file": _upload(SAMPLE)})
    assert bad.status_code == 400 and bad.json()["forms"] == ["baseline", "followup"]
    assert_problem(api.post(f"{base}{empty.pk}/dictionary/", {}), 400, "file")


def test_outsiders_get_404_before_any_parsing(client, outsider, source):
    client.force_login(outsider)
    study = source.study
    for url in (
        f"/research/studies/{study.pk}/questionnaires/{source.pk}/dictionary.csv",
        f"/research/studies/{study.pk}/questionnaires/{source.pk}/dictionary/",
        f"/api/v1/research/studies/{study.pk}/questionnaires/{source.pk}/dictionary.csv",
    ):
        assert client.get(url).status_code == 404
    for url in (
        f"/research/studies/{study.pk}/questionnaires/{source.pk}/dictionary/",
        f"/api/v1/research/studies/{study.pk}/questionnaires/{source.pk}/dictionary/",
    ):
        assert client.post(url, {"file": _upload("garbage")}).status_code == 404
    assert source.questions.count() == len(QUESTIONS)
