"""Geometry of the dashboard's charts, drawn as SVG on the server (no JavaScript needed).

Each chart is drawn over numbers the page already shows in words or a table; these functions
only place the shapes. Sizes are in SVG user units; the SVG scales to its card with CSS.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

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


class HeatLayout(NamedTuple):
    """What a year's squares are, whoever's year it is: the same for every dashboard that day."""

    dates: tuple[date, ...]
    squares: tuple[tuple[int, int], ...]  # (x, y) of each day's square
    day_names: tuple[str, ...]  # "Mon 1 Dec 2025"
    months: tuple[tuple[int, str], ...]  # (x, "Jan") above the columns
    month_spans: tuple[tuple[date, int, int], ...]  # (first of month, first index, end index)


@dataclass(frozen=True)
class Heatmap:
    layout: HeatLayout
    levels: list[int]  # each day's shade, 0-4 (heat_level), from `first` to `last`
    titles: list[str]  # each day's tooltip
    weekdays: list[tuple[int, str]]  # (y, "Mon")
    width: int
    height: int
    first: date
    last: date
    active_days: int
    minutes: int
    legend: list[tuple[int, str]]
    month_rows: list[tuple[date, int, int]]  # (first of month, active days, minutes)

    @property
    def months(self) -> tuple[tuple[int, str], ...]:
        return self.layout.months

    @property
    def cells(self) -> list[tuple[int, int, int, str]]:
        """(x, y, level 0-4, tooltip) of each day's square."""
        shapes = zip(self.layout.squares, self.levels, self.titles, strict=True)
        return [(x, y, level, title) for (x, y), level, title in shapes]


def heatmap(*, by_date: dict[date, tuple[int, int]], today: date, weeks: int = 53) -> Heatmap:
    """A GitHub-style year: one column per week (Monday first), one row per weekday.

    `by_date` maps a day to (sessions, minutes), summed over devices, in the user's own days.
    """
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    layout = heat_layout(first, (today - first).days + 1)
    counters = [by_date.get(day, _NO_PRACTICE) for day in layout.dates]
    levels = [heat_level(sessions=sessions, minutes=minutes) for sessions, minutes in counters]
    month_rows = [
        (
            month,
            sum(1 for level in levels[start:end] if level),
            sum(minutes for _sessions, minutes in counters[start:end]),
        )
        for month, start, end in layout.month_spans
    ]
    return Heatmap(
        layout=layout,
        levels=levels,
        titles=[
            heat_title(name, sessions, minutes)
            for name, (sessions, minutes) in zip(layout.day_names, counters, strict=True)
        ],
        weekdays=[(HEAT_TOP + row * (CELL + GAP) + CELL - 2, name) for row, name in WEEKDAY_LABELS],
        width=HEAT_LEFT + weeks * (CELL + GAP),
        height=HEAT_TOP + 7 * (CELL + GAP),
        first=first,
        last=today,
        active_days=sum(active for _month, active, _minutes in month_rows),
        minutes=sum(minutes for _month, _active, minutes in month_rows),
        legend=list(enumerate(HEAT_LEGEND)),
        month_rows=month_rows,
    )


def heat_title(day_name: str, sessions: int, minutes: int) -> str:
    """A square's tooltip: "Mon 1 Dec 2025: 12 minutes, 2 sessions" (or "no practice")."""
    if not sessions:
        return f"{day_name}: no practice"
    return (
        f"{day_name}: {minutes} minute{'' if minutes == 1 else 's'}, "
        f"{sessions} session{'' if sessions == 1 else 's'}"
    )


# Every dashboard draws the same year on a given day (the users' todays are at most a day or
# two apart), so its dates, places and day names are worked out once, not for each page.
@lru_cache(maxsize=8)
def heat_layout(first: date, count: int) -> HeatLayout:
    """The `count` days from `first` (a Monday), a column per week, Monday on top."""
    dates, squares, day_names, months, month_spans = [], [], [], [], []
    step = CELL + GAP
    day = first
    for index in range(count):
        row = index % 7
        x = HEAT_LEFT + index // 7 * step
        if index == 0 or day.day == 1:
            month_spans.append((day.replace(day=1), index))
        if row == 0 and (not months or months[-1][1] != _MONTHS[day.month - 1]):
            months.append((x, _MONTHS[day.month - 1]))
        dates.append(day)
        squares.append((x, HEAT_TOP + row * step))
        day_names.append(f"{_WEEKDAYS[row]} {day.day} {_MONTHS[day.month - 1]} {day.year}")
        day += _ONE_DAY
    ends = [start for _month, start in month_spans[1:]] + [count]
    return HeatLayout(
        dates=tuple(dates),
        squares=tuple(squares),
        day_names=tuple(day_names),
        months=tuple(_spaced(months)),
        month_spans=tuple(
            (month, start, end) for (month, start), end in zip(month_spans, ends, strict=True)
        ),
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
