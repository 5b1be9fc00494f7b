"""XP the server grants (challenge rewards): once per reason, counted in the state."""

import pytest

from breathmaster.api.errors import ApplicationError
from progression.services import award_grant

pytestmark = pytest.mark.django_db


def test_an_award_is_granted_once_and_counts_in_the_state(verified_user, device_client):
    laptop = device_client(verified_user)
    before = laptop.get("/api/v1/sync/state").json()
    assert award_grant(user=verified_user, xp=500, reason="challenge:41") is True
    assert award_grant(user=verified_user, xp=500, reason="challenge:41") is False
    after = laptop.get("/api/v1/sync/state").json()
    assert after["state"]["totalXP"] == before["state"]["totalXP"] + 500
    assert after["state"]["currentLevel"] == 5
    assert after["syncVersion"] == before["syncVersion"] + 1


@pytest.mark.parametrize(
    ("xp", "reason"), [(0, "challenge:1"), (-5, "challenge:1"), (True, "x"), (10, ""), (10, "a\0")]
)
def test_an_award_that_makes_no_sense_is_refused(verified_user, xp, reason):
    with pytest.raises(ApplicationError):
        award_grant(user=verified_user, xp=xp, reason=reason)
