"""The invitation to sync (seed 000), judged on the server's state or on a client's numbers."""

from datetime import date

from accounts.models import User
from progression import rules
from progression.selectors.calendar import user_today, utc_today
from progression.selectors.state import state_facts


def account_age_days(*, first_seen: date | None, today: date) -> int:
    return (today - first_seen).days if first_seen else 0


def eligibility_for_user(*, user: User) -> dict:
    """The invitation's rules judged on the server's own derived state."""
    today = user_today(user=user)
    facts = state_facts(user=user, today=today)
    return rules.eligibility_judge(
        total_xp=facts.total_xp,
        total_sessions=facts.total_sessions,
        current_streak=facts.current_streak,
        account_age_days=account_age_days(first_seen=facts.first_active_date, today=today),
    )


def eligibility_for_numbers(
    *,
    user: User | None,
    total_xp: int,
    total_sessions: int,
    current_streak: int,
    first_seen: date,
) -> dict:
    """The invitation's rules judged on the numbers a client gives (the extension's own).

    Account age counts to the user's today when the caller is known, else to today in UTC.
    """
    today = user_today(user=user) if user is not None else utc_today()
    return rules.eligibility_judge(
        total_xp=total_xp,
        total_sessions=total_sessions,
        current_streak=current_streak,
        account_age_days=account_age_days(first_seen=first_seen, today=today),
    )
