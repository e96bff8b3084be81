"""Span coding, memos, renaming/merging/deleting codes with history, and the co-occurrence table."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from werkbrug.core.choices import Role
from werkbrug.evaluations import qualitative as q
from werkbrug.evaluations import services as s
from werkbrug.evaluations.models import CodeChange, Coding, Memo

TEXT = "De tijd is krap en de tijd vliegt."

SPANS = [
    # (start, end, quote) → (start, end)
    ((None, None, ""), (None, None)),  # nothing chosen: the whole passage
    ((3, 7, ""), (3, 7)),  # positions only: "tijd"
    ((3, 7, "tijd"), (3, 7)),  # positions with the text there (the page's script sends both)
    ((None, None, "krap"), (11, 15)),  # the text alone, once in the passage (the form without script)
    ((0, len(TEXT), ""), (None, None)),  # a span of the whole passage is the whole passage
    ((12, 16, "krap"), (11, 15)),  # the browser counted one off: the text, once in the passage, decides
]


@pytest.mark.parametrize(("given", "expected"), SPANS)
def test_resolve_span(given, expected):
    assert q.resolve_span(TEXT, *given) == expected


@pytest.mark.parametrize(("given", "code"), [
    ((None, None, "niet er"), "span"),  # not in the passage
    ((None, None, "tijd"), "ambiguous"),  # twice in the passage: positions needed
    ((3, None, ""), "span"),  # half a span
    ((30, 99, ""), "span"),  # past the end
    ((7, 3, ""), "span"),  # backwards
    ((0, 4, "tijd"), "span"),  # text not at the positions and not once in the passage
])
def test_resolve_span_refuses(given, code):
    with pytest.raises(ValidationError) as info:
        q.resolve_span(TEXT, *given)
    assert code in {e.code for errors in info.value.error_dict.values() for e in errors}


def test_page_codes_a_selected_span_and_a_typed_one(api, populated, research):
    study, interview = populated.study, populated.interview
    passage = populated.passages[1]  # "De tijd is krap."
    support = populated.codes[2]
    url = f"/research/studies/{study.pk}/interviews/{interview.pk}/codings/"
    # As the script posts a selection: positions and text.
    r = api.post(url, {"passage": passage.pk, "code": support.pk, "level": "professional", "start": 3, "end": 7, "quote": "tijd"})
    assert r.status_code == 302 and r["Location"].endswith(f"#passage-{passage.pk}")
    # Without the script: the text typed.
    api.post(url, {"passage": passage.pk, "code": support.pk, "level": "management", "start": "", "end": "", "quote": "krap"})
    spans = list(Coding.objects.filter(passage=passage, code=support).order_by("start").values_list("start", "end", "level"))
    assert spans == [(3, 7, "professional"), (11, 15, "management")]
    page = api.get(f"/research/studies/{study.pk}/interviews/{interview.pk}/").content.decode()
    assert "«tijd»" in page and "«krap»" in page and 'data-passage-text="code-form-' in page and "spans.js" in page
    # A wrong text is refused with a message, nothing stored.
    r = api.post(url, {"passage": passage.pk, "code": support.pk, "level": "professional", "quote": "lang"}, follow=True)
    assert "komt niet voor in het fragment" in r.content.decode()
    assert Coding.objects.filter(passage=passage, code=support).count() == 2


def test_span_coding_counts_for_agreement_and_duplicates_are_refused(populated, research):
    passage, barriers = populated.passages[2], populated.codes[0]
    q.coding_span_add(passage=passage, code=barriers, level="professional", coder=research.researcher, quote="management")
    with pytest.raises(ValidationError):
        q.coding_span_add(passage=passage, code=barriers, level="professional", coder=research.researcher, start=4, end=14)
    # The whole-passage coding of the same code is still possible beside a span.
    s.coding_add(passage=passage, code=barriers, level="professional", coder=research.researcher)
    assert Coding.objects.filter(passage=passage, code=barriers, coder=research.researcher).count() == 2


def test_api_codes_a_span(api, populated):
    passage, support = populated.passages[0], populated.codes[2]
    r = api.post(f"/api/v1/research/studies/{populated.study.pk}/codings/",
                 {"passage": passage.pk, "code": support.pk, "level": "client", "start": 3, "end": 10}, content_type="application/json")
    assert r.status_code == 201 and (r.json()["start"], r.json()["end"]) == (3, 10)
    r = api.post(f"/api/v1/research/studies/{populated.study.pk}/codings/",
                 {"passage": passage.pk, "code": support.pk, "level": "client", "start": 3, "end": 999}, content_type="application/json")
    assert r.status_code == 400


def test_rename_keeps_history(api, populated, research):
    barriers = populated.codes[0]
    r = api.post(f"/research/studies/{populated.study.pk}/codes/{barriers.pk}/",
                 {"action": "rename", "r-name": "Drempels", "r-reason": "Beter woord"})
    assert r.status_code == 302
    barriers.refresh_from_db()
    assert barriers.name == "Drempels"
    change = CodeChange.objects.get(code_guid=barriers.guid)
    assert (change.kind, change.old_name, change.new_name, change.reason) == ("rename", "Knelpunten", "Drempels", "Beter woord")
    # "Steun" is a top-level code too: refused, nothing changed or recorded.
    r = api.post(f"/research/studies/{populated.study.pk}/codes/{barriers.pk}/", {"action": "rename", "r-name": "Steun"})
    assert r.status_code == 400 and "bestaat hier al" in r.content.decode()
    barriers.refresh_from_db()
    assert barriers.name == "Drempels" and CodeChange.objects.count() == 1


def test_merge_moves_codings_children_and_memos(populated, research):
    barriers, time_code, support = populated.codes
    memo = q.memo_add(study=populated.study, author=research.researcher, code=barriers, text="Wat knelt er?")
    before = Coding.objects.filter(code__in=[barriers, support]).count()
    # Passage 3: researcher gave Steun, second gave Knelpunten; passage 1 both Steun.
    q.code_merge(code=barriers, into=support, merged_by=research.researcher, reason="Samen")
    assert not type(barriers).objects.filter(pk=barriers.pk).exists()
    assert Coding.objects.filter(code=support).count() == before
    time_code.refresh_from_db()
    memo.refresh_from_db()
    assert time_code.parent_id == support.pk and memo.code_id == support.pk
    change = CodeChange.objects.get(kind="merge")
    assert (change.old_name, change.into_id, change.into_name, change.codings) == ("Knelpunten", support.pk, "Steun", 1)


def test_merge_collapses_a_coding_the_target_already_has(populated, research):
    barriers, _time, support = populated.codes
    q.coding_span_add(passage=populated.passages[0], code=barriers, level="professional", coder=research.researcher)
    q.code_merge(code=barriers, into=support, merged_by=research.researcher)
    assert Coding.objects.filter(passage=populated.passages[0], code=support, coder=research.researcher).count() == 1


def test_merge_into_own_subcode_is_refused(populated, research):
    barriers, time_code, _support = populated.codes
    with pytest.raises(ValidationError) as info:
        q.code_merge(code=barriers, into=time_code, merged_by=research.researcher)
    assert "into" in info.value.error_dict


def test_delete_needs_the_name_and_keeps_history(api, populated, research):
    support = populated.codes[2]
    url = f"/research/studies/{populated.study.pk}/codes/{support.pk}/"
    r = api.post(url, {"action": "delete", "d-confirm": "steun"})
    assert r.status_code == 400 and type(support).objects.filter(pk=support.pk).exists()
    codings = Coding.objects.filter(code=support).count()
    r = api.post(url, {"action": "delete", "d-confirm": "Steun", "d-reason": "Niet nodig"})
    assert r.status_code == 302 and not type(support).objects.filter(pk=support.pk).exists()
    change = CodeChange.objects.get(kind="delete")
    assert (change.old_name, change.codings, change.reason) == ("Steun", codings, "Niet nodig")
    history = api.get(f"/research/studies/{populated.study.pk}/codes/changes/").content.decode()
    assert "Steun" in history and "Niet nodig" in history
    # A code with subcodes is not deleted.
    barriers = populated.codes[0]
    with pytest.raises(ValidationError):
        q.code_delete(code=barriers, deleted_by=research.researcher, confirm="Knelpunten")


def test_api_rename_merge_delete_and_history(api, populated):
    study = populated.study.pk
    barriers, time_code, support = populated.codes
    base = f"/api/v1/research/studies/{study}/codes"
    assert api.post(f"{base}/{time_code.pk}/rename/", {"name": "Tijdsdruk"}, content_type="application/json").json()["name"] == "Tijdsdruk"
    assert api.post(f"{base}/{time_code.pk}/merge/", {"into": time_code.pk}, content_type="application/json").status_code == 400
    assert api.post(f"{base}/{time_code.pk}/merge/", {"into": support.pk}, content_type="application/json").json()["id"] == support.pk
    assert api.post(f"{base}/{barriers.pk}/delete/", {"confirm": "x"}, content_type="application/json").status_code == 400
    assert api.post(f"{base}/{barriers.pk}/delete/", {"confirm": "Knelpunten"}, content_type="application/json").status_code == 204
    kinds = [c["kind"] for c in api.get(f"{base}/changes/").json()]
    assert kinds == ["delete", "merge", "rename"]


def test_memos_on_codes_and_passages_only_the_author_changes_them(api, client, populated, research):
    study = populated.study
    passage = populated.passages[1]
    r = api.post(f"/api/v1/research/studies/{study.pk}/memos/", {"passage": passage.pk, "text": "Tijdsdruk keert terug."},
                 content_type="application/json")
    assert r.status_code == 201
    memo_id = r.json()["id"]
    assert api.post(f"/api/v1/research/studies/{study.pk}/memos/", {"text": "Nergens over"},
                    content_type="application/json").status_code == 400
    page = api.get(f"/research/studies/{study.pk}/interviews/{populated.interview.pk}/").content.decode()
    assert "Tijdsdruk keert terug." in page
    # The second researcher reads the memo but cannot change it: 404, as for a missing memo.
    client.force_login(research.second)
    assert [m["id"] for m in client.get(f"/api/v1/research/studies/{study.pk}/memos/").json()] == [memo_id]
    assert client.patch(f"/api/v1/research/studies/{study.pk}/memos/{memo_id}/", {"text": "Anders"},
                        content_type="application/json").status_code == 404
    assert client.post(f"/research/studies/{study.pk}/memos/{memo_id}/", {"action": "delete"}).status_code == 404
    assert Memo.objects.get(pk=memo_id).text == "Tijdsdruk keert terug."
    # The author changes and deletes it.
    client.force_login(research.researcher)
    assert client.patch(f"/api/v1/research/studies/{study.pk}/memos/{memo_id}/", {"text": "Anders"},
                        content_type="application/json").json()["text"] == "Anders"
    assert client.delete(f"/api/v1/research/studies/{study.pk}/memos/{memo_id}/").status_code == 204
    assert not Memo.objects.exists()


def test_a_memo_that_names_a_client_is_refused(populated, research):
    name = f"{populated.clients[0].first_name} {populated.clients[0].last_name}"
    with pytest.raises(ValidationError) as info:
        q.memo_add(study=populated.study, author=research.researcher, code=populated.codes[0], text=f"Sprak met {name}.")
    assert info.value.error_dict["text"][0].code == "identifying"


def test_code_page_adds_a_memo_and_shows_history(api, populated):
    barriers = populated.codes[0]
    url = f"/research/studies/{populated.study.pk}/codes/{barriers.pk}/"
    assert api.post(url, {"action": "memo", "m-text": "Breed begrip."}).status_code == 302
    html = api.get(url).content.decode()
    assert "Breed begrip." in html and "Samenvoegen" in html and "Verwijderen" in html


def test_co_occurrence_counts_overlapping_codings(api, populated, research):
    barriers, time_code, support = populated.codes
    passage = populated.passages[1]  # coded "Tijd" (whole) by both researchers
    q.coding_span_add(passage=passage, code=support, level="professional", coder=research.researcher, start=0, end=7)
    q.coding_span_add(passage=passage, code=barriers, level="professional", coder=research.second, start=11, end=15)
    table = q.co_occurrence(study=populated.study)
    names = [c.name for c, _d in table.codes]
    at = {name: i for i, name in enumerate(names)}
    counts = table.counts
    # Passage 1: Steun; passage 2: Tijd (whole), Steun 0–7, Knelpunten 11–15; passage 3: Steun, Knelpunten (whole).
    assert counts[at["Steun"]][at["Steun"]] == 3
    assert counts[at["Tijd"]][at["Steun"]] == counts[at["Steun"]][at["Tijd"]] == 1
    assert counts[at["Steun"]][at["Knelpunten"]] == 1  # passage 3 only: the spans on passage 2 do not overlap
    assert counts[at["Tijd"]][at["Knelpunten"]] == 1
    body = api.get(f"/api/v1/research/studies/{populated.study.pk}/codes/co-occurrence/").json()
    assert body["counts"] == counts and [c["name"] for c in body["codes"]] == names
    assert "Samen voorkomen" in api.get(f"/research/studies/{populated.study.pk}/codes/co-occurrence/").content.decode()


def test_outsider_gets_404_before_any_input_is_read(client, populated, outsider):
    client.force_login(outsider)
    study = populated.study.pk
    code = populated.codes[0].pk
    memo = q.memo_add(study=populated.study, author=populated.study.researchers.first(), code=populated.codes[0], text="Memo")
    for method, url in [
        ("post", f"/api/v1/research/studies/{study}/codes/{code}/rename/"),
        ("post", f"/api/v1/research/studies/{study}/codes/{code}/merge/"),
        ("post", f"/api/v1/research/studies/{study}/codes/{code}/delete/"),
        ("get", f"/api/v1/research/studies/{study}/codes/changes/"),
        ("get", f"/api/v1/research/studies/{study}/codes/co-occurrence/"),
        ("get", f"/api/v1/research/studies/{study}/memos/"),
        ("post", f"/api/v1/research/studies/{study}/memos/"),
        ("patch", f"/api/v1/research/studies/{study}/memos/{memo.pk}/"),
        ("delete", f"/api/v1/research/studies/{study}/memos/{memo.pk}/"),
        ("get", f"/api/v1/research/studies/{study}/project.qdpx"),
        ("post", f"/api/v1/research/studies/{study}/project.qdpx"),
        ("get", f"/research/studies/{study}/codes/{code}/"),
        ("post", f"/research/studies/{study}/codes/{code}/"),
        ("post", f"/research/studies/{study}/memos/{memo.pk}/"),
        ("post", f"/research/studies/{study}/interviews/{populated.interview.pk}/codings/"),
        ("get", f"/research/studies/{study}/codes/co-occurrence/"),
        ("get", f"/research/studies/{study}/project/"),
        ("get", f"/research/studies/{study}/project.qdpx"),
    ]:
        r = getattr(client, method)(url, {"bad": "x" * 10}, **({"content_type": "application/json"} if method in ("patch",) else {}))
        assert r.status_code == 404, (method, url, r.status_code)


def test_second_researcher_may_rename(populated, research, make_person):
    third = make_person(research.institute, Role.RESEARCHER)
    with pytest.raises(Http404):  # not in the team: refused as not found
        q.code_rename(code=populated.codes[0], name="X", renamed_by=third)
    q.code_rename(code=populated.codes[0], name="X", renamed_by=research.second)


def test_memo_change_rule(populated, research, outsider):
    """Policy `memo.change`: the author, while in the study's team; nobody else."""
    from werkbrug.core import policy

    memo = q.memo_add(study=populated.study, author=research.researcher, code=populated.codes[0], text="Eigen memo")
    cases = [
        (research.researcher, True),  # the author, in the team
        (research.second, False),  # a team member who did not write it
        (outsider, False),  # outside the team
    ]
    for user, allowed in cases:
        assert policy.can(user, "memo.change", memo) is allowed, user
    populated.study.researchers.remove(research.researcher)
    assert policy.can(research.researcher, "memo.change", memo) is False  # the author, after leaving the team


def test_a_closed_study_takes_no_more_coding_memos_or_code_changes(populated, research):
    """The lifecycle's one rule (`workflow.study_require`) guards the qualitative writes too."""
    from werkbrug.evaluations.services import study_close

    study, passage = populated.study, populated.passages[1]
    researcher = research.researcher
    study_close(study=study, closed_by=researcher)
    code = populated.codes[2]
    before = Coding.objects.count()
    for write in (
        lambda: q.coding_span_add(passage=passage, code=code, level="professional", coder=researcher, start=3, end=7),
        lambda: q.code_rename(code=code, name="Nieuwe naam", renamed_by=researcher),
        lambda: s.code_create(study=study, name="Te laat", created_by=researcher),
    ):
        with pytest.raises(ValidationError) as info:
            write()
        assert "study_status" in {e.code for e in info.value.error_list} or info.value.code == "study_status"
    assert Coding.objects.count() == before
