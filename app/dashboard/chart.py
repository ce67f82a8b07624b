"""The ministries chart: answers on time and items answered completely, in per cent, as an SVG
drawn by pygal. Pure: figures in, bytes out."""

import pygal

from app.charts import STYLE, marked_title, svg_without_scripts
from app.dashboard.ministries import MinistryFigures
from app.models import Classification


def ministry_chart_svg(ministries: list[MinistryFigures],
                       marking: Classification = Classification.PUBLIC) -> bytes:
    """Two bars per ministry. Each bar prints its measure in words as well as its value, so the
    colours are never the only way to tell them apart."""
    chart = pygal.HorizontalBar(
        style=STYLE,
        width=720,
        height=chart_height(len(ministries)),
        js=(),
        title=marked_title("How ministries answer (%)", marking),
        legend_at_bottom=True,
        print_values=True,
        print_values_position="top",
        range=(0, 100),
        y_labels=[0, 25, 50, 75, 100],
        no_data_text="No answers yet",
        margin=12,
        margin_right=120,  # room for the value printed after a full bar
        # Values start where their bar ends, on the white background, so they stay readable.
        css=(*pygal.Config.css.value, "inline:.text-overlay .value { text-anchor: start; }"),
    )
    # pygal draws the first label at the bottom; reversed, the list reads top to bottom.
    rows = list(reversed(ministries))
    chart.x_labels = [f.ministry.code for f in rows]
    chart.add("Answered on time", [f.on_time_percent for f in rows],
              formatter=lambda value: f" on time {value:.0f}%")
    chart.add("Items answered completely", [f.complete_percent for f in rows],
              formatter=lambda value: f" complete {value:.0f}%")
    return svg_without_scripts(chart, "ministries")


def chart_height(ministry_count: int) -> int:
    """Pixels: room for the title and legend, and for two bars per ministry."""
    return max(200, 120 + 70 * ministry_count)
