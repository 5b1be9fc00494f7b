from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from progression.selectors import sync_state_for


@pytest.mark.django_db
def test_demo_people_have_a_month_synced_from_two_devices_and_reloading_adds_nothing():
    call_command("load_demo", stdout=StringIO())
    maya = User.objects.get(email="maya@example.com")
    first = sync_state_for(user=maya)
    assert maya.devices.count() == 2
    assert first["state"]["currentStreak"] >= 1
    assert 20 <= len(first["state"]["days"]) <= 30
    call_command("load_demo", stdout=StringIO())
    assert sync_state_for(user=maya) == first
