"""Reading the extension's own export (`Breath Master: Export Data`) into per-day counters.

Pure: no database. The service decides what is new. How the numbers are read:

- A session's local day is its `startedAt` (ISO UTC) in the profile's timezone.
- A session's minutes are `activeMs / 60000` rounded half up (the extension's Math.round),
  per session, then summed per day.
- A session's XP is the growth of the running total `finalXP` since the previous session
  (sessions ordered by `startedAt`), so XP earned between sessions (challenge rewards,
  micro-meditations) lands on the next session's day. The first session, or one whose running
  total went backwards or is missing, earns `cycles + goalBonusXP` (never more than its
  `finalXP`): whatever came before it is not explained by any session.
- A day whose session XP would exceed the plausibility bound keeps the bound; the rest is
  unexplained.
- Whatever no session explains goes to the baseline: `totalXP` minus session XP, and
  `totalMeditationTime` minus session time. Sessions in the baseline are those the export counts
  but does not list (none for 0.3.x, `sessionsToday` for 0.1.x).
- 0.1.x exports (no `sessions`) know one active day: `lastMeditationDate` (a
  `Date.toDateString()` string) with `sessionsToday` sessions and `todaySessionTime`; it is kept
  as a day with no XP, once per date.
- The client's streaks are ignored; completed `dailyChallenges` become completed challenge ids.
  The onboarding state records no milestones (only tour and tutorial steps), so no achievements
  are read from it.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from breathmaster.api.errors import ApplicationError
from progression import rules

MS_PER_MINUTE = 60_000


@dataclass(frozen=True)
class ImportedSessionCounters:
    key: str  # sha256 of the session id: the id itself is a start time, which never leaves
    date: date
    xp: int
    minutes: int
    sessions: int = 1


@dataclass
class ImportPlan:
    sessions: list[ImportedSessionCounters] = field(default_factory=list)
    baseline_xp: int = 0
    baseline_sessions: int = 0
    baseline_minutes: int = 0
    challenge_ids: list[str] = field(default_factory=list)
    # The earliest day the export shows the extension in use (its tour, its first session):
    # the span its unexplained rest is judged against starts there.
    first_seen: date | None = None


def round_half_up(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def parse_date_string(value: str) -> date | None:
    """`YYYY-MM-DD`, an ISO timestamp, or JavaScript's `toDateString()` ("Wed Aug 27 2025")."""
    for parse in (
        lambda text: date.fromisoformat(text),
        lambda text: datetime.strptime(text, "%a %b %d %Y").date(),
        lambda text: datetime.fromisoformat(text.replace("Z", "+00:00")).date(),
    ):
        try:
            return parse(value.strip())
        except (ValueError, TypeError):
            continue
    return None


def session_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _invalid(field_name: str, message: str) -> ApplicationError:
    return ApplicationError(
        "This export could not be read.", code="invalid", errors={field_name: [message]}
    )


def _number(container: dict, name: str, where: str, *, required: bool = False) -> float:
    value = container.get(name)
    if value is None:
        if required:
            raise _invalid(where + name, "This field is required.")
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise _invalid(where + name, "Must be a non-negative number.")
    if value > 10**13:
        raise _invalid(where + name, "This number is too large.")
    return value


def meditation_from_export(export: object) -> tuple[dict, bool]:
    """The `meditation` state and whether it lists sessions (0.3.x) or not (0.1.x)."""
    if not isinstance(export, dict) or not isinstance(export.get("breathMaster"), dict):
        raise _invalid("breathMaster", "Send the extension's export as it is.")
    meditation = export["breathMaster"].get("meditation")
    if not isinstance(meditation, dict):
        raise _invalid("breathMaster.meditation", "Send the extension's export as it is.")
    sessions = meditation.get("sessions")
    if sessions is not None and not isinstance(sessions, list):
        raise _invalid("breathMaster.meditation.sessions", "Must be a list.")
    return meditation, sessions is not None


def _parse_session(raw: object, index: int, tz: ZoneInfo) -> dict:
    where = f"breathMaster.meditation.sessions[{index}]."
    if not isinstance(raw, dict):
        raise _invalid(where[:-1], "Must be an object.")
    started = raw.get("startedAt")
    try:
        started_at = datetime.fromisoformat(str(started).replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(where + "startedAt", "Must be an ISO 8601 time.") from None
    if started_at.tzinfo is None:
        raise _invalid(where + "startedAt", "Must carry a timezone (the extension sends UTC).")
    if not 2000 <= started_at.year <= 2100:
        raise _invalid(where + "startedAt", "Must be a time between 2000 and 2100.")
    session_id = raw.get("id")
    if session_id is not None and not isinstance(session_id, str):
        raise _invalid(where + "id", "Must be a string.")
    final_xp = raw.get("finalXP")
    return {
        "id": session_id or f"{started}|{raw.get('activeMs')}|{raw.get('cycles')}",
        "started_at": started_at,
        "date": started_at.astimezone(tz).date(),
        "active_ms": _number(raw, "activeMs", where),
        "base_xp": int(_number(raw, "cycles", where) + _number(raw, "goalBonusXP", where)),
        "final_xp": None if final_xp is None else int(_number(raw, "finalXP", where)),
    }


def _session_xp(sessions: list[dict]) -> list[int]:
    earned: list[int] = []
    previous_final: int | None = None
    for session in sessions:
        final_xp = session["final_xp"]
        if final_xp is not None and previous_final is not None and final_xp >= previous_final:
            earned.append(final_xp - previous_final)
        elif final_xp is not None:
            earned.append(min(session["base_xp"], final_xp))
        else:
            earned.append(session["base_xp"])
        previous_final = final_xp
    return earned


def _cap_days(sessions: list[dict], earned: list[int]) -> list[int]:
    """Trim the latest sessions of a day whose XP would exceed what its minutes allow."""
    capped = list(earned)
    by_day: dict[date, list[int]] = {}
    for index, session in enumerate(sessions):
        by_day.setdefault(session["date"], []).append(index)
    for indexes in by_day.values():
        minutes = sum(round_half_up(sessions[i]["active_ms"] / MS_PER_MINUTE) for i in indexes)
        excess = sum(capped[i] for i in indexes) - rules.max_xp_for_day(minutes)
        for i in reversed(indexes):
            if excess <= 0:
                break
            cut = min(capped[i], excess)
            capped[i] -= cut
            excess -= cut
    return capped


def _challenge_ids(meditation: dict) -> list[str]:
    challenges = meditation.get("dailyChallenges") or []
    if not isinstance(challenges, list):
        raise _invalid("breathMaster.meditation.dailyChallenges", "Must be a list.")
    return [
        challenge["id"]
        for challenge in challenges
        if isinstance(challenge, dict)
        and challenge.get("completed") is True
        and isinstance(challenge.get("id"), str)
        and 0 < len(challenge["id"]) <= 128
    ]


def plan_from_export(export: object, tz: ZoneInfo) -> ImportPlan:
    meditation, lists_sessions = meditation_from_export(export)
    where = "breathMaster.meditation."
    total_xp = int(_number(meditation, "totalXP", where))
    total_ms = _number(meditation, "totalMeditationTime", where)
    plan = ImportPlan(challenge_ids=_challenge_ids(meditation))
    tour = _tour_completed(export, tz)
    if not lists_sessions:
        plan = _legacy_plan(plan, meditation, total_xp, total_ms, where)
        plan.first_seen = min(filter(None, [tour] + [s.date for s in plan.sessions]), default=None)
        return plan
    sessions = [_parse_session(raw, i, tz) for i, raw in enumerate(meditation["sessions"])]
    sessions.sort(key=lambda session: (session["started_at"], session["id"]))
    earned = _cap_days(sessions, _session_xp(sessions))
    for session, xp in zip(sessions, earned, strict=True):
        plan.sessions.append(
            ImportedSessionCounters(
                key=session_key(session["id"]),
                date=session["date"],
                xp=xp,
                minutes=round_half_up(session["active_ms"] / MS_PER_MINUTE),
            )
        )
    plan.baseline_xp = max(0, total_xp - sum(earned))
    listed_ms = sum(session["active_ms"] for session in sessions)
    plan.baseline_minutes = max(0, round_half_up((total_ms - listed_ms) / MS_PER_MINUTE))
    plan.first_seen = min(filter(None, [tour] + [s.date for s in plan.sessions]), default=None)
    return plan


def _tour_completed(export: dict, tz: ZoneInfo) -> date | None:
    """The local day the extension's welcome tour was completed, when the export says."""
    onboarding = export["breathMaster"].get("onboarding")
    moment = onboarding.get("tourCompletedAt") if isinstance(onboarding, dict) else None
    if not isinstance(moment, str):
        return None
    try:
        completed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return None
    if completed.tzinfo is None:
        return None
    return completed.astimezone(tz).date()


def _legacy_plan(
    plan: ImportPlan, meditation: dict, total_xp: int, total_ms: float, where: str
) -> ImportPlan:
    sessions_today = int(_number(meditation, "sessionsToday", where))
    today_ms = min(_number(meditation, "todaySessionTime", where), total_ms)
    last_date = meditation.get("lastMeditationDate")
    day = parse_date_string(last_date) if isinstance(last_date, str) else None
    plan.baseline_xp = total_xp
    plan.baseline_minutes = round_half_up(total_ms / MS_PER_MINUTE)
    if day is None or sessions_today == 0:
        plan.baseline_sessions = sessions_today
        return plan
    day_minutes = round_half_up(today_ms / MS_PER_MINUTE)
    plan.sessions.append(
        ImportedSessionCounters(
            key=session_key(f"legacy-day:{day.isoformat()}"),
            date=day,
            xp=0,
            minutes=day_minutes,
            sessions=sessions_today,
        )
    )
    plan.baseline_minutes = max(0, plan.baseline_minutes - day_minutes)
    return plan
