"""CONSORT after allocation: the analysed set is the one the analysis uses, with the boxes for
"did not receive", "lost to follow-up" and "excluded from analysis" per arm."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from werkbrug.evaluations import analysis, selectors, services


def _flow_set(p, research, flag, value=True, reason="Reden"):
    return services.participant_flow_set(participant=p, flag=flag, value=value, reason=reason, recorded_by=research.researcher)


def test_analysed_is_the_analysed_set_not_the_stage(populated, research):
    flow = selectors.consort(study=populated.study)
    # Nobody is in the "analysed" recruitment stage, yet all 8 randomised are analysed.
    assert sum(a.analysed for a in flow.arms) == 8 == analysis.outcomes(study=populated.study).n
    first, second, third = populated.people[:3]
    _flow_set(first, research, "not_received", reason="Nooit gestart")
    _flow_set(second, research, "lost_to_follow_up", reason="Onbereikbaar")
    _flow_set(third, research, "excluded_from_analysis", reason="Protocolafwijking")
    flow = selectors.consort(study=populated.study)
    arms = {a.arm.pk: a for a in flow.arms}
    assert sum(a.not_received for a in flow.arms) == 1 and sum(a.received for a in flow.arms) == 7
    assert sum(a.lost_to_follow_up for a in flow.arms) == 1
    assert sum(a.excluded_from_analysis for a in flow.arms) == 1
    assert sum(a.analysed for a in flow.arms) == 7 == analysis.outcomes(study=populated.study).n
    assert arms[third.allocation.arm_id].exclusion_reasons == [("Protocolafwijking", 1)]
    for a in flow.arms:
        assert a.analysed + a.excluded_from_analysis == a.allocated
    # Withdrawing the status puts the participant back.
    _flow_set(third, research, "excluded_from_analysis", value=False, reason="")
    assert sum(a.analysed for a in selectors.consort(study=populated.study).arms) == 8


@pytest.mark.parametrize(("flag", "value", "reason", "code"), [
    ("lost_to_follow_up", True, "  ", "reason_required"),  # a status needs its reason
    ("nonsense", True, "x", "flag"),
    ("lost_to_follow_up", True, "x" * 301, "too_long"),
])
def test_flow_status_refusals(populated, research, flag, value, reason, code):
    with pytest.raises(ValidationError) as exc:
        _flow_set(populated.people[0], research, flag, value, reason)
    assert [e.code for errors in exc.value.error_dict.values() for e in errors] == [code]


def test_only_randomised_participants_have_a_flow_status(populated, research):
    with pytest.raises(ValidationError):
        _flow_set(populated.people[8], research, "lost_to_follow_up")  # excluded before randomisation


def test_flow_through_the_api_and_the_diagram(api, populated, research):
    p = populated.people[0]
    url = f"/api/v1/research/studies/{populated.study.pk}/participants/{p.pk}/flow/"
    response = api.post(url, {"flag": "lost_to_follow_up", "value": True, "reason": "Verhuisd"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["lost_to_follow_up"] is True
    assert api.post(url, {"flag": "lost_to_follow_up", "value": True}, content_type="application/json").status_code == 400
    html = api.get(f"/research/studies/{populated.study.pk}/").content.decode().replace("\u00a0", " ")
    assert 'id="consort-arms"' in html
    assert "Lost to follow-up" not in html  # Dutch UI
    for text in ("Lost tot follow-up (n = 1)", "Analyse", "Geanalyseerd (n = 4)", "Geen toegewezen interventie ontvangen", "Uitgesloten van analyse (n = 0)"):
        assert text in html


def test_flow_refused_outside_the_team(client, populated, outsider):
    client.force_login(outsider)
    p = populated.people[0]
    url = f"/api/v1/research/studies/{populated.study.pk}/participants/{p.pk}/flow/"
    assert client.post(url, {"flag": "lost_to_follow_up", "value": True, "reason": "x"}, content_type="application/json").status_code == 404
    p.refresh_from_db()
    assert not p.lost_to_follow_up
