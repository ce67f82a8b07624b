"""The brief's chart of money committed against disbursed, per currency, drawn for print."""

from pygal.style import Style

from app.charts import STYLE
from app.programmes.chart import funding_chart_svg
from app.reports.content import Brief

# The screen style in the fonts the print stylesheet uses, so the chart matches the text.
PRINT_STYLE = Style(**{**STYLE.to_dict(), "font_family": "'DejaVu Sans', sans-serif"})


def money_charts(brief: Brief) -> dict[str, bytes]:
    """report-asset name -> SVG, one chart per currency with funding by year."""
    return {f"money-{line.currency}.svg": funding_chart_svg(list(line.years), line.currency,
                                                            style=PRINT_STYLE)
            for line in brief.money if line.years}
