"""The heatmap's squares, written in one pass: 371 template loops cost more than the queries."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from progression.charts import CELL, Heatmap

register = template.Library()


@register.simple_tag
def heatmap_cells(heatmap: Heatmap) -> SafeString:
    """One <rect> per day with its level's class and a tooltip.

    Nothing here comes from a person: coordinates, a level and charts._heat_title's own words
    and numbers, so there is nothing to escape.
    """
    return mark_safe(
        "".join(
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" class="l{level}">'
            f"<title>{title}</title></rect>"
            for x, y, level, title in heatmap.cells
        )
    )
