from werkbrug.core import policy
from werkbrug.core.choices import DataCategory
from werkbrug.core.policy.clients import client_data


def test_team_fixture_gives_the_expected_access(team):
    assert policy.can(team.jobcoach, "client.view", team.client)
    assert policy.can(team.labour_expert, "client.view", team.client)
    assert not policy.can(team.outsider, "client.view", team.client)
    # Care context is consented for GGZ only.
    assert client_data(team.jobcoach, team.client, DataCategory.CARE).allowed
    assert not client_data(team.labour_expert, team.client, DataCategory.CARE).allowed
