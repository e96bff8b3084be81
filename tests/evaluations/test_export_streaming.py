"""The research exports are streamed: the number of queries does not grow with the participants
(they are read in chunks, with their jobs and answers per chunk), and a table's rows come one by
one, in chunks of `exports.CHUNK`, in the same order as a single read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from werkbrug.evaluations import exports
from werkbrug.evaluations import services as s

from .conftest import consent_to_study


def _grow(research, study, n):
    """Clients until the study has `n` participants: consented, randomised, with a job each."""
    while study.participants.count() < n:
        for _i in range(n - study.participants.count()):
            research.client()
        s.participants_enrol_eligible(study=study, enrolled_by=research.researcher)
    for p in study.participants.filter(allocation__isnull=True):
        consent_to_study(p, research.researcher)
        s.participant_randomise(participant=p, randomised_by=research.researcher)
        s.recorded_job_add(participant=p, start=date(2026, 2, 20), hours_per_week=Decimal(16), recorded_by=research.researcher)


def _counts(client, study):
    """Queries per export; the first request after a while also refreshes the session (not counted)."""
    _queries(client, study, "participants", "csv")
    return {key: _queries(client, study, *key) for key in FORMATS}


def _queries(client, study, table, fmt):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/research/studies/{study.pk}/export/?table={table}&format={fmt}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and body
    return len(queries)


FORMATS = [("participants", "csv"), ("participants", "sav"), ("stages", "csv"), ("answers", "csv"),
           ("codebook", "csv"), ("participants", "xlsx")]


def test_the_queries_of_an_export_do_not_grow_with_the_participants(research, make_study, client):
    with time_machine.travel(date(2026, 2, 1), tick=True):
        study = make_study(follow_up_days=[30, 90])
        _grow(research, study, 5)
        questionnaire = s.questionnaire_create(study=study, title="Tevredenheid", created_by=research.researcher,
                                               questions=[{"code": "grade", "text": "Welk cijfer geeft u?", "type": "grade"}])
        for invitation in s.questionnaire_send(questionnaire=questionnaire, sent_by=research.researcher):
            s.response_submit(invitation=invitation, answers={"grade": 7})
    client.force_login(research.researcher)
    with time_machine.travel(date(2026, 6, 1), tick=True):
        few = _counts(client, study)
        with time_machine.travel(date(2026, 2, 1), tick=True):
            _grow(research, study, 50)
        assert len(exports.participants_table(study).rows) == 50
        many = _counts(client, study)
    assert many == few


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_rows_in_chunks_are_the_rows_of_one_read(populated, monkeypatch, chunk):
    with time_machine.travel(date(2026, 6, 1), tick=False):
        whole = [t.rows for t in exports.data_tables(populated.study)]
        monkeypatch.setattr(exports, "CHUNK", chunk)
        chunked = [t.rows for t in exports.data_tables(populated.study)]
    assert chunked == whole and len(whole[0]) == 9 and len(whole[1]) > 8


def test_a_table_is_read_as_it_is_written(populated):
    """Nothing is read before the rows are asked for, and the rows come one at a time."""
    table = exports.participants_table(populated.study)
    with CaptureQueriesContext(connection) as queries:
        rows = iter(table)
        assert len(queries) == 0
        first = next(rows)
    assert first[0] == min(p.study_pseudonym for p in populated.people)
