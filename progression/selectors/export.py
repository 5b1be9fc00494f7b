"""Progression's part of the user's data export: everything it keeps, as JSON."""

from accounts.models import User
from progression.models import DeviceBaseline, DeviceDay, SyncFlag, SyncState, Unlock
from progression.selectors.calendar import iso


def unlocked_sets(*, user: User) -> dict[str, list[str]]:
    """The user's grow-only sets by kind, each sorted so the answer never depends on order."""
    sets: dict[str, list[str]] = {kind: [] for kind in Unlock.Kind.values}
    for kind, key in Unlock.objects.filter(user=user).values_list("kind", "key"):
        sets[kind].append(key)
    return {kind: sorted(keys) for kind, keys in sets.items()}


def export_for_user(*, user: User) -> dict:
    """Everything progression keeps about the user, for the data export."""
    state = SyncState.objects.filter(user=user).first()
    days = DeviceDay.objects.filter(user=user).order_by("date", "device_id")
    baselines = DeviceBaseline.objects.filter(user=user).order_by("device_id")
    return {
        "days": [
            {
                "deviceId": str(day.device_id) if day.device_id else None,
                "date": day.date.isoformat(),
                "xp": day.xp,
                "sessions": day.sessions,
                "minutes": day.minutes,
            }
            for day in days
        ],
        "baselines": [
            {
                "deviceId": str(b.device_id) if b.device_id else None,
                "xp": b.xp,
                "sessions": b.sessions,
                "minutes": b.minutes,
                "foldedXp": b.folded_xp,
                "foldedSessions": b.folded_sessions,
                "foldedMinutes": b.folded_minutes,
                "foldedThrough": b.folded_through.isoformat() if b.folded_through else None,
            }
            for b in baselines
        ],
        "unlocked": unlocked_sets(user=user),
        "preferences": (
            {"value": state.preferences_value, "modifiedAt": iso(state.preferences_modified_at)}
            if state and state.preferences_modified_at
            else None
        ),
        "syncVersion": state.sync_version if state else 0,
        "flaggedDays": [
            day.isoformat()
            for day in SyncFlag.objects.filter(user=user)
            .order_by("date")
            .values_list("date", flat=True)
        ],
    }
