"""The funding-by-year chart: an SVG drawn by pygal, pure data in and bytes out."""

import pygal
from pygal.etree import etree
from pygal.style import Style

from app.formatting import money_compact
from app.models import Classification

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d9dee3",
    guide_stroke_color="#c9d0d6",
    guide_stroke_dasharray="2,3",
    colors=("#1d4e89", "#c47f17"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)


def funding_chart_svg(rows: list[tuple[int, int, int]], currency: str,
                      marking: Classification = Classification.PUBLIC) -> bytes:
    """Committed and disbursed money per year, one bar pair per year, as a standalone SVG."""
    ticks = _round_ticks(max([1] + [max(c, d) for _, c, d in rows]))
    chart = pygal.Bar(
        style=_STYLE,
        width=720,
        height=320,
        js=(),  # no scripts: the chart must work under a strict Content-Security-Policy
        # A chart drawn from classified lines says so, also when opened on its own.
        title=f"Funding by year ({currency})"
        + (f" · {marking.marking}" if marking > Classification.PUBLIC else ""),
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
    tree = chart.render_tree()
    # pygal always embeds a config <script>; the chart needs none, so it is removed.
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def _round_ticks(top: int, steps: int = 5) -> list[int]:
    """0 and round multiples (1, 2 or 5 × a power of ten) up to at least `top`."""
    rough = top / steps
    magnitude = 10 ** (len(str(int(rough))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    count = -(-top // step)
    return [i * step for i in range(int(count) + 1)]
