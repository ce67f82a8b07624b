"""What every chart shares: the house style and a standalone SVG without scripts."""

from pygal.etree import etree
from pygal.graph.graph import Graph
from pygal.style import Style

from app.models import Classification

STYLE = Style(
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


def marked_title(title: str, marking: Classification) -> str:
    """A chart drawn from classified content says so, also when opened on its own."""
    return title + (f" · {marking.marking}" if marking > Classification.PUBLIC else "")


def svg_without_scripts(chart: Graph, name: str) -> bytes:
    """The chart as a standalone SVG. pygal always embeds a config <script>; the charts need
    none and the Content-Security-Policy would refuse it, so it is removed. `name` replaces
    the random id pygal gives each chart, so the same figures always give the same bytes (a
    brief whose figures have not changed is then found in the PDF part cache)."""
    chart.uuid = name
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
