"""Streaks from runs of consecutive active days (pure: the selectors feed it from SQL)."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Run:
    start: date
    end: date
    length: int  # may exceed end - start + 1 when the run continues a folded one


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int


def runs_from_dates(dates: list[date]) -> list[tuple[date, date]]:
    """Consecutive runs of the given days, as (start, end), oldest first."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(dates)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def runs_with_carry(
    raw_runs: list[tuple[date, date]], carry_end: date | None, carry_length: int
) -> list[Run]:
    """Runs with their lengths, the first one extended by a folded run it continues."""
    runs = [Run(start, end, (end - start).days + 1) for start, end in raw_runs]
    if runs and carry_end is not None and runs[0].start == carry_end + timedelta(days=1):
        first = runs[0]
        runs[0] = Run(first.start, first.end, first.length + carry_length)
    return runs


def streaks_from_runs(runs: list[Run], *, today: date, longest_folded: int = 0) -> Streaks:
    """A run is current while its last day is today or yesterday (or tomorrow: a clock ahead)."""
    longest = max([run.length for run in runs] + [longest_folded])
    if not runs:
        return Streaks(current=0, longest=longest)
    last = runs[-1]
    current = last.length if last.end >= today - timedelta(days=1) else 0
    return Streaks(current=current, longest=longest)
