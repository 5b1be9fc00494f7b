"""Geometry of the dashboard's charts, drawn as SVG on the server (no JavaScript needed).

Each chart is drawn over numbers the page already shows in words or a table; these functions
only place the shapes. Sizes are in SVG user units; the SVG scales to its card with CSS.
"""

from dataclasses import dataclass
from datetime import date, timedelta

HEAT_THRESHOLDS = (5, 15, 30)  # minutes that start levels 2, 3 and 4 of an active day
HEAT_LEGEND = (
    "No practice",
    "Under 5 minutes",
    "5 to 14 minutes",
    "15 to 29 minutes",
    "30 minutes or more",
)
CELL, GAP = 11, 3
HEAT_LEFT, HEAT_TOP = 30, 16
WEEKDAY_LABELS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    title: str
    x: float
    y: float
    width: float
    height: float
    css: str = ""

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    base: int  # y of the axis
    goal_y: float | None
    goal_label: str
    empty: bool
    show_values: bool
    label_every: int

    @property
    def label_y(self) -> int:
        return self.height - 5

    @property
    def goal_text_y(self) -> float | None:
        return None if self.goal_y is None else round(self.goal_y - 5, 1)


def bar_chart(
    points: list[tuple[str, int, str, str]],
    *,
    width: int = 700,
    height: int = 180,
    goal: float | None = None,
    goal_label: str = "",
    label_every: int = 1,
) -> BarChart:
    """Bars for (label, value, title, css class) points, scaled to the largest value or goal."""
    top, bottom = 18, 22
    base = height - bottom
    space = base - top
    most = max([value for _label, value, _title, _css in points] + [goal or 0, 1])
    slot = width / max(len(points), 1)
    bar_width = max(1.0, round(slot * 0.7, 1))
    bars = []
    for index, (label, value, title, css) in enumerate(points):
        bar_height = round(space * value / most, 1) if value else 0
        bars.append(
            Bar(
                label=label if index % label_every == 0 else "",
                value=value,
                title=title,
                x=round(index * slot + (slot - bar_width) / 2, 1),
                y=round(base - bar_height, 1),
                width=bar_width,
                height=bar_height,
                css=css,
            )
        )
    goal_y = round(base - space * goal / most, 1) if goal else None
    return BarChart(
        bars=bars,
        width=width,
        height=height,
        base=base,
        goal_y=goal_y,
        goal_label=goal_label,
        empty=not any(value for _label, value, _title, _css in points),
        show_values=len(points) <= 14,
        label_every=label_every,
    )


def heat_level(*, sessions: int, minutes: int) -> int:
    """0 for a day without a session; else 1-4 by minutes (HEAT_THRESHOLDS)."""
    if sessions <= 0:
        return 0
    second, third, fourth = HEAT_THRESHOLDS
    return 4 if minutes >= fourth else 3 if minutes >= third else 2 if minutes >= second else 1


@dataclass(frozen=True)
class Heatmap:
    cells: list[tuple[int, int, int, str]]  # (x, y, level 0-4, tooltip)
    months: list[tuple[int, str]]  # (x, "Jan")
    weekdays: list[tuple[int, str]]  # (y, "Mon")
    width: int
    height: int
    first: date
    last: date
    active_days: int
    minutes: int
    legend: list[tuple[int, str]]
    month_rows: list[tuple[date, int, int]]  # (first of month, active days, minutes)


def heatmap(*, by_date: dict[date, tuple[int, int]], today: date, weeks: int = 53) -> Heatmap:
    """A GitHub-style year: one column per week (Monday first), one row per weekday.

    `by_date` maps a day to (sessions, minutes), summed over devices, in the user's own days.
    """
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    cells, months = [], []
    month_rows: dict[date, list[int]] = {}
    totals = [0, 0]
    step = CELL + GAP
    day = first
    # Runs for every day on every dashboard: a day's step, not arithmetic from `first`, and the
    # weekday from the column's row (the year starts on a Monday).
    for index in range((today - first).days + 1):
        sessions, minutes = by_date.get(day, _NO_PRACTICE)
        level = heat_level(sessions=sessions, minutes=minutes)
        if index == 0 or day.day == 1:
            totals = month_rows.setdefault(day.replace(day=1), [0, 0])
        if level:
            totals[0] += 1
        totals[1] += minutes
        row = index % 7
        x = HEAT_LEFT + index // 7 * step
        cells.append((x, HEAT_TOP + row * step, level, _heat_title(day, row, sessions, minutes)))
        if row == 0 and (not months or months[-1][1] != _MONTHS[day.month - 1]):
            months.append((x, _MONTHS[day.month - 1]))
        day += _ONE_DAY
    return Heatmap(
        cells=cells,
        months=_spaced(months),
        weekdays=[(HEAT_TOP + row * (CELL + GAP) + CELL - 2, name) for row, name in WEEKDAY_LABELS],
        width=HEAT_LEFT + weeks * (CELL + GAP),
        height=HEAT_TOP + 7 * (CELL + GAP),
        first=first,
        last=today,
        active_days=sum(active for active, _minutes in month_rows.values()),
        minutes=sum(minutes for _active, minutes in month_rows.values()),
        legend=list(enumerate(HEAT_LEGEND)),
        month_rows=[(month, active, minutes) for month, (active, minutes) in month_rows.items()],
    )


def _spaced(months: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Month names, dropping one that would crowd the next (a month starting late in a column)."""
    room = 3 * (CELL + GAP)
    return [
        (x, name)
        for index, (x, name) in enumerate(months)
        if index + 1 == len(months) or months[index + 1][0] - x >= room
    ]


_NO_PRACTICE = (0, 0)
_ONE_DAY = timedelta(days=1)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _heat_title(day: date, weekday: int, sessions: int, minutes: int) -> str:
    # Tuples, not strftime: this runs for every day of the year on every dashboard.
    when = f"{_WEEKDAYS[weekday]} {day.day} {_MONTHS[day.month - 1]} {day.year}"
    if not sessions:
        return f"{when}: no practice"
    return (
        f"{when}: {minutes} minute{'' if minutes == 1 else 's'}, "
        f"{sessions} session{'' if sessions == 1 else 's'}"
    )
