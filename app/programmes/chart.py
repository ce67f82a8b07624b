"""The funding-by-year chart: an SVG drawn by pygal, pure data in and bytes out."""

import pygal

from pygal.style import Style

from app.charts import STYLE, marked_title, svg_without_scripts
from app.formatting import money_compact
from app.models import Classification


def funding_chart_svg(rows: list[tuple[int, int, int]], currency: str,
                      marking: Classification = Classification.PUBLIC,
                      style: Style = STYLE) -> bytes:
    """Committed and disbursed money per year, one bar pair per year, as a standalone SVG."""
    ticks = _round_ticks(max([1] + [max(c, d) for _, c, d in rows]))
    chart = pygal.Bar(
        style=style,
        width=720,
        height=320,
        js=(),  # no scripts: the chart must work under a strict Content-Security-Policy
        title=marked_title(f"Funding by year ({currency})", marking),
        legend_at_bottom=True,
        print_values=False,
        value_formatter=lambda cents: money_compact(int(cents or 0), currency),
        x_title="Year",
        margin=12,
        # A scale from zero in a few round steps, so a single bar still gets labelled ticks.
        range=(0, ticks[-1]),
    )
    chart.x_labels = [str(year) for year, _, _ in rows]
    chart.y_labels = ticks
    chart.add("Committed", [committed for _, committed, _ in rows])
    chart.add("Disbursed", [disbursed for _, _, disbursed in rows])
    return svg_without_scripts(chart, f"funding-{currency.lower()}")


def _round_ticks(top: int, steps: int = 5) -> list[int]:
    """0 and round multiples (1, 2 or 5 × a power of ten) up to at least `top`."""
    rough = top / steps
    magnitude = 10 ** (len(str(int(rough))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    count = -(-top // step)
    return [i * step for i in range(int(count) + 1)]
