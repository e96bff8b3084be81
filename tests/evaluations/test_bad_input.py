"""Malformed form posts on research pages get a clear answer, never a server error."""

from datetime import date

import pytest
import time_machine

from werkbrug.evaluations.models import Coding, Interview


@pytest.fixture
def on_study_day():
    with time_machine.travel(date(2026, 6, 1), tick=True):
        yield


@pytest.mark.parametrize("value", ["abc", "", "-1", "1.5"])
@pytest.mark.usefixtures("on_study_day")
def test_interview_with_a_round_that_is_not_a_number_is_not_found(
    populated, research, client, value
):
    client.force_login(research.researcher)
    before = Interview.objects.count()
    response = client.post(
        f"/research/studies/{populated.study.pk}/interviews/",
        {"action": "interview", "round": value, "i-label": "R9"},
    )
    assert response.status_code == 404
    assert Interview.objects.count() == before


@pytest.mark.parametrize("value", ["abc", "", "1e3"])
@pytest.mark.usefixtures("on_study_day")
def test_uncoding_with_a_coding_that_is_not_a_number_is_not_found(
    populated, research, client, value
):
    client.force_login(research.researcher)
    before = Coding.objects.count()
    response = client.post(
        f"/research/studies/{populated.study.pk}/interviews/{populated.interview.pk}/",
        {"action": "uncode", "coding": value},
    )
    assert response.status_code == 404
    assert Coding.objects.count() == before
