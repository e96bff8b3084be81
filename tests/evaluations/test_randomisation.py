"""Permuted blocks with random block sizes: reproducible, balanced per stratum, concealed, immutable."""

from __future__ import annotations

from collections import Counter
from itertools import islice

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from werkbrug.core.models import AccessLogRecord
from werkbrug.evaluations import randomisation
from werkbrug.evaluations.models import Allocation, Participant
from werkbrug.evaluations.services import participant_enrol, participant_randomise

from .conftest import consent_to_study


def test_same_seed_same_sequence_other_seed_other_sequence():
    arms = [("a", 1), ("b", 1)]
    first = [s.arm for s in islice(randomisation.sequence(seed=7, stratum="x", arms=arms), 60)]
    again = [s.arm for s in islice(randomisation.sequence(seed=7, stratum="x", arms=arms), 60)]
    other = [s.arm for s in islice(randomisation.sequence(seed=8, stratum="x", arms=arms), 60)]
    other_stratum = [s.arm for s in islice(randomisation.sequence(seed=7, stratum="y", arms=arms), 60)]
    assert first == again
    assert first != other and first != other_stratum


@pytest.mark.parametrize(
    ("arms", "multipliers"),
    [
        ([("a", 1), ("b", 1)], [1, 2, 3]),  # 1:1, blocks of 2, 4, 6
        ([("a", 2), ("b", 1)], [1, 2]),  # 2:1, blocks of 3, 6
        ([("a", 1), ("b", 1), ("c", 1)], [1, 2]),  # three arms, blocks of 3, 6
    ],
)
def test_every_block_is_balanced_to_the_ratio_over_many_runs(arms, multipliers):
    ratio = dict(arms)
    unit = sum(ratio.values())
    sizes_seen = set()
    for seed in range(200):
        for stratum in ("benefit=wajong", "benefit=ww"):
            slots = list(islice(randomisation.sequence(seed=seed, stratum=stratum, arms=arms, multipliers=multipliers), 60))
            blocks: dict[int, list] = {}
            for slot in slots:
                blocks.setdefault(slot.block_number, []).append(slot)
            for number, members in blocks.items():
                size = members[0].block_size
                sizes_seen.add(size)
                assert size in {unit * m for m in multipliers}
                if len(members) == size:  # a complete block
                    counts = Counter(s.arm for s in members)
                    assert {a: counts[a] * unit for a in ratio} == {a: ratio[a] * size for a in ratio}, (seed, number)
    assert sizes_seen == {unit * m for m in multipliers}  # block sizes really vary


def test_imbalance_never_exceeds_half_the_largest_block():
    for seed in range(100):
        counts = Counter()
        for slot in islice(randomisation.sequence(seed=seed, stratum="", arms=[("a", 1), ("b", 1)]), 101):
            counts[slot.arm] += 1
            assert abs(counts["a"] - counts["b"]) <= 3


def test_arms_in_stratum():
    arms = [("a", 1, []), ("b", 1, ["benefit=wajong"]), ("c", 0, [])]
    assert randomisation.arms_in_stratum(arms, "benefit=ww|organisation=3") == [("a", 1)]
    assert randomisation.arms_in_stratum(arms, "benefit=wajong") == [("a", 1), ("b", 1)]


def _randomise_all(study, research, n, **client_kwargs):
    out = []
    for _ in range(n):
        participant = participant_enrol(study=study, client=research.client(**client_kwargs), enrolled_by=research.researcher)
        consent_to_study(participant, research.researcher)
        out.append(participant_randomise(participant=participant, randomised_by=research.researcher))
    return out


def test_randomisation_follows_the_seeded_sequence_per_stratum(research, make_study):
    study = make_study(stratify_by=["benefit"])
    allocations = _randomise_all(study, research, 6, benefit="wajong") + _randomise_all(study, research, 4, benefit="ww")
    for stratum in ("benefit=wajong", "benefit=ww"):
        expected = randomisation.sequence(seed=12345, stratum=stratum, arms=[("ee_mi", 1), ("usual", 1)], multipliers=[1, 2, 3])
        ours = [a for a in allocations if a.stratum == stratum]
        assert [a.arm.code for a in ours] == [s.arm for s in islice(expected, len(ours))]
        assert [a.sequence_number for a in ours] == list(range(1, len(ours) + 1))


def test_randomise_logs_once_and_is_refused_twice(research, make_study):
    study = make_study()
    participant = participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    consent_to_study(participant, research.researcher)
    before = AccessLogRecord.objects.count()
    allocation = participant_randomise(participant=participant, randomised_by=research.researcher)
    record = AccessLogRecord.objects.latest("id")
    assert AccessLogRecord.objects.count() == before + 1
    assert record.action == "participant.randomise" and record.code == "U"
    assert record.client_pseudonym == participant.client.pseudonym
    with pytest.raises(ValidationError) as exc:
        participant_randomise(participant=participant, randomised_by=research.researcher)
    assert exc.value.code == "already_randomised"
    assert Allocation.objects.filter(participant=participant).count() == 1
    assert allocation.arm.study_id == study.pk


def test_allocation_cannot_be_changed_or_deleted(research, make_study):
    study = make_study()
    [allocation] = _randomise_all(study, research, 1)
    other_arm = study.arms.exclude(pk=allocation.arm_id).get()
    allocation.arm = other_arm
    with pytest.raises(ValidationError):
        allocation.save()
    with pytest.raises(ValidationError):
        allocation.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(arm=other_arm)
    assert Allocation.objects.get(pk=allocation.pk).arm_id != other_arm.pk


def test_randomise_without_research_consent_is_refused(research, make_study):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    study = make_study()
    client = research.client()
    participant = participant_enrol(study=study, client=client, enrolled_by=research.researcher)
    consent_to_study(participant, research.researcher)
    consent_withdraw(client=client, organisation=research.institute, category="research", recorded_by=research.researcher,
                     method=ConsentMethod.VERBAL)
    with pytest.raises(ValidationError) as exc:
        participant_randomise(participant=participant, randomised_by=research.researcher)
    assert exc.value.code == "no_research_consent"
    assert not Allocation.objects.exists()
    assert Participant.objects.get(pk=participant.pk).stage == "consented"


def test_enrol_without_research_consent_is_refused(research, make_study):
    study = make_study()
    with pytest.raises(ValidationError) as exc:
        participant_enrol(study=study, client=research.client(consent=False), enrolled_by=research.researcher)
    assert exc.value.code == "no_research_consent"
    assert not Participant.objects.exists()


def test_stratum_with_no_arm_is_refused(research, make_study):
    study = make_study(
        stratify_by=["benefit"],
        arms=[
            {"name": "Alleen Wajong", "code": "a", "strata": ["benefit=wajong"]},
            {"name": "Controle Wajong", "code": "b", "strata": ["benefit=wajong"], "is_control": True},
        ],
    )
    participant = participant_enrol(study=study, client=research.client(benefit="ww"), enrolled_by=research.researcher)
    consent_to_study(participant, research.researcher)
    with pytest.raises(ValidationError) as exc:
        participant_randomise(participant=participant, randomised_by=research.researcher)
    assert exc.value.code == "stratum_without_arm"
    assert not Allocation.objects.exists()


def test_the_next_allocation_is_nowhere_to_be_seen(research, make_study, client):
    """Concealment: the seed and the sequence are in no page or API answer before randomising."""
    study = make_study()
    participant = participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    consent_to_study(participant, research.researcher)
    client.force_login(research.researcher)
    pages = [f"/research/studies/{study.pk}/", f"/research/studies/{study.pk}/participants/{participant.pk}/",
             f"/api/v1/research/studies/{study.pk}/", f"/api/v1/research/studies/{study.pk}/participants/"]
    for url in pages:
        body = client.get(url).content.decode()
        assert "12345" not in body, url
        assert "block" not in body.lower(), url
    assert Allocation.objects.count() == 0
