"""The dashboard's year of squares and its tables, as progression's charts and tags write them."""

import re
from datetime import date, timedelta

from django.utils import translation
from django.utils.dateformat import format as date_format

from progression.charts import CELL, GAP, HEAT_LEFT, HEAT_TOP, heat_level, heatmap
from progression.selectors.dashboard import _week
from progression.templatetags.dashboard_markup import heatmap as heatmap_markup
from progression.templatetags.dashboard_markup import month_rows, week_rows


def _practice(today: date) -> dict[date, tuple[int, int]]:
    """A year and a half of days, one in five skipped, minutes touching every shade."""
    return {
        today - timedelta(days=offset): (1 + offset % 3, offset % 37)
        for offset in range(550)
        if offset % 5
    }


def _tooltip(day: date, sessions: int, minutes: int) -> str:
    when = f"{day:%a} {day.day} {day:%b} {day.year}"
    if not sessions:
        return f"{when}: no practice"
    return (
        f"{when}: {minutes} minute{'s' * (minutes != 1)}, {sessions} session{'s' * (sessions != 1)}"
    )


def test_each_square_is_its_own_day_whichever_day_today_is():
    # Two todays in one process, a month and a few days apart: the year's layout is worked out
    # once a day and must never lend one day's squares to another.
    for today in (date(2026, 11, 30), date(2027, 1, 3), date(2026, 11, 30)):
        by_date = _practice(today)
        year = heatmap(by_date=by_date, today=today)
        first = today - timedelta(days=today.weekday(), weeks=52)
        assert year.first == first and first.weekday() == 0
        days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
        wanted = []
        for index, day in enumerate(days):
            sessions, minutes = by_date.get(day, (0, 0))
            x = HEAT_LEFT + index // 7 * (CELL + GAP)
            y = HEAT_TOP + day.weekday() * (CELL + GAP)
            level = heat_level(sessions=sessions, minutes=minutes)
            wanted.append((x, y, level, _tooltip(day, sessions, minutes)))
        assert year.cells == wanted

        markup = str(heatmap_markup(year))
        squares = re.findall(
            r'<rect x="(\d+)" y="(\d+)" width="11" height="11" rx="2" class="l(\d)">'
            r"<title>([^<]*)</title></rect>",
            markup,
        )
        assert squares == [(str(x), str(y), str(level), title) for x, y, level, title in wanted]


def test_the_months_add_up_to_the_days_they_hold():
    today = date(2027, 1, 3)
    by_date = _practice(today)
    year = heatmap(by_date=by_date, today=today)
    months: dict[date, list[int]] = {}
    day = year.first
    while day <= today:
        sessions, minutes = by_date.get(day, (0, 0))
        totals = months.setdefault(day.replace(day=1), [0, 0])
        totals[0] += sessions > 0
        totals[1] += minutes
        day += timedelta(days=1)
    assert year.month_rows == [
        (month, active, minutes) for month, (active, minutes) in months.items()
    ]
    assert year.active_days == sum(active for active, _minutes in months.values())
    assert year.minutes == sum(minutes for _active, minutes in months.values())


def test_the_tables_name_days_and_months_as_the_date_filter_does_in_each_language():
    today = date(2026, 12, 2)
    week = _week(_practice(today), today, 70)
    months = [(date(2026, month, 1), 5) for month in (1, 5, 12)]
    for language, wednesday in (("en", "Wednesday"), ("de", "Mittwoch"), ("en", "Wednesday")):
        with translation.override(language):
            days = re.findall(r"<tr><td>([^<]*)</td>", str(week_rows(week)))
            names = re.findall(r"<tr><td>([^<]*)</td>", str(month_rows(months)))
            assert days == [
                f"{date_format(day.date, 'l j F')}{' (today)' * day.is_today}" for day in week.days
            ]
            assert names == [date_format(month, "F Y") for month, _minutes in months]
        assert days[2].startswith(f"{wednesday} 2 ")  # each language's own words, truly
