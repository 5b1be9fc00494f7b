"""The dashboard's repeated markup, written in one pass each: its charts (progression/charts.py
places the shapes) and the rows of the tables that give the same numbers in words.

A template loop costs microseconds a variable and an include costs a context; over a year of
squares and a hundred weeks of bars they cost more than the page's queries. Every text here
is escaped as a template would (`html.escape`), though it is the charts' own words and numbers;
dates are written in the same words as the `date` filter's (django.utils.dates).
"""

from datetime import date
from functools import lru_cache
from html import escape

from django import template
from django.utils.dateformat import format as date_format
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from progression.charts import CELL, BarChart, Heatmap, heat_layout
from progression.selectors.dashboard import Week

register = template.Library()


@register.simple_tag
def bar_chart(chart: BarChart, label: str, testid: str = "") -> SafeString:
    """A bar chart as an SVG image labelled `label` in words; the numbers are on the page too."""
    test_attribute = f' data-testid="{escape(testid)}"' if testid else ""
    parts = [
        f'\n<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-label="{escape(label)}"{test_attribute}>\n'
        f'  <line class="axis" x1="0" x2="{chart.width}" y1="{chart.base}" y2="{chart.base}"/>\n  '
    ]
    for bar in chart.bars:
        parts.append(f"<g><title>{escape(bar.title)}</title>")
        if bar.height:
            parts.append(
                f'<rect class="bar {escape(bar.css)}" x="{bar.x}" y="{bar.y}" '
                f'width="{bar.width}" height="{bar.height}" rx="3"/>'
            )
        if chart.show_values and bar.value:
            parts.append(
                f'<text class="value" x="{bar.center}" y="{bar.value_y}" '
                f'text-anchor="middle">{bar.value}</text>'
            )
        if bar.label:
            parts.append(
                f'<text x="{bar.center}" y="{chart.label_y}" '
                f'text-anchor="middle">{escape(bar.label)}</text>'
            )
        parts.append("</g>\n  ")
    parts.append("\n  ")
    if chart.goal_y:
        parts.append(
            f'<line class="goal-line" x1="0" x2="{chart.width}" y1="{chart.goal_y}" '
            f'y2="{chart.goal_y}"/><text class="goal-text" x="{chart.width}" '
            f'y="{chart.goal_text_y}" text-anchor="end">{escape(chart.goal_label)}</text>'
        )
    parts.append("\n</svg>\n")
    return mark_safe("".join(parts))


@register.simple_tag
def heatmap(heatmap: Heatmap) -> SafeString:
    """The year as an SVG image, one square per day with its tooltip, and the legend below.

    The tooltips are not escaped: they are charts.heat_title's words, dates and numbers only.
    """
    days = heatmap.active_days
    label = (
        f"Active days from {date_format(heatmap.first, 'j F Y')} "
        f"to {date_format(heatmap.last, 'j F Y')}: {days} day{'' if days == 1 else 's'} "
        "with practice"
    )
    parts = [
        f'\n<svg class="chart heatmap" viewBox="0 0 {heatmap.width} {heatmap.height}" '
        f'role="img" data-testid="heatmap"\n     aria-label="{escape(label)}">\n  ',
        *(f'<text x="{x}" y="10">{escape(name)}</text>' for x, name in heatmap.months),
        "\n  ",
        *(f'<text x="0" y="{y}">{escape(name)}</text>' for y, name in heatmap.weekdays),
        "\n  ",
        *(
            f'{opening}{level}"><title>{title}</title></rect>'
            for opening, level, title in zip(
                _square_openings(heatmap.first, len(heatmap.levels)),
                heatmap.levels,
                heatmap.titles,
                strict=True,
            )
        ),
        '\n</svg>\n<div class="chart-legend" data-testid="heatmap-legend">\n'
        "  <span>Less</span>\n  ",
        *(
            f'<svg viewBox="0 0 12 12" role="img" aria-label="{escape(meaning)}">'
            f'<title>{escape(meaning)}</title><rect width="12" height="12" rx="2" '
            f'class="l{level}"/></svg>'
            for level, meaning in heatmap.legend
        ),
        "\n  <span>More</span>\n</div>\n",
    ]
    return mark_safe("".join(parts))


@lru_cache(maxsize=8)
def _square_openings(first: date, count: int) -> tuple[str, ...]:
    """Each square's markup up to its shade: the same for every dashboard of the day."""
    return tuple(
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" class="l'
        for x, y in heat_layout(first, count).squares
    )


@register.simple_tag
def week_rows(week: Week) -> SafeString:
    """The week's table: one row a day (`date:"l j F"`), a dash for the days still to come."""
    weekdays, months = _day_and_month_names(get_language())
    return mark_safe(
        "".join(
            f"<tr><td>{weekdays[day.date.weekday()]} {day.date.day} {months[day.date.month]}"
            f"{' (today)' if day.is_today else ''}</td>"
            f'<td class="number">{"—" if day.is_future else day.minutes}</td></tr>'
            for day in week.days
        )
    )


@register.simple_tag
def month_rows(rows: list[tuple]) -> SafeString:
    """Rows of (first of a month, number, ...): the month (`date:"F Y"`), then each number."""
    _weekdays, months = _day_and_month_names(get_language())
    return mark_safe(
        "".join(
            f"<tr><td>{months[month.month]} {month.year}</td>"
            + "".join(f'<td class="number">{number}</td>' for number in numbers)
            + "</tr>"
            for month, *numbers in rows
        )
    )


@lru_cache(maxsize=16)
def _day_and_month_names(language: str | None) -> tuple[dict[int, str], dict[int, str]]:
    """The `date` filter's weekday and month names in `language`, translated once, not a row at
    a time (django.utils.dates holds them lazily)."""
    return (
        {number: str(name) for number, name in WEEKDAYS.items()},
        {number: str(name) for number, name in MONTHS.items()},
    )
