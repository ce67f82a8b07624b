"""The brief's chart of money committed against disbursed, per currency, drawn for print."""

import re

from pygal.style import Style

from app.charts import STYLE
from app.programmes.chart import funding_chart_svg
from app.reports.content import Brief

# The screen style in the fonts the print stylesheet uses, so the chart matches the text.
PRINT_STYLE = Style(**{**STYLE.to_dict(), "font_family": "'DejaVu Sans', sans-serif"})
# pygal names every chart with a random UUID; the same figures must give the same bytes, or an
# unchanged brief would never be found in the cache.
_CHART_ID = re.compile(rb"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def money_charts(brief: Brief) -> dict[str, bytes]:
    """report-asset name -> SVG, one chart per currency with funding by year."""
    charts = {}
    for line in brief.money:
        if line.years:
            svg = funding_chart_svg(list(line.years), line.currency, style=PRINT_STYLE)
            charts[f"money-{line.currency}.svg"] = _CHART_ID.sub(
                f"chart-{line.currency}".encode(), svg)
    return charts
