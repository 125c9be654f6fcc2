"""Server-rendered SVG bar charts: no script, no external service. Each chart is an image
with a <title> and <desc> (named by aria-labelledby); the page shows the same numbers in a
table next to it, the accessible alternative."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = "#1f5f8b"  # 7.3:1 against white
TEXT = "#1a1a1a"
ROW = 28
LABEL_WIDTH = 170
BAR_WIDTH = 330
VALUE_WIDTH = 60


def bar_chart(chart_id: str, title: str, description: str, bars: list[tuple[str, int | float]]) -> Markup:
    """A horizontal bar chart of (label, value) pairs."""
    top = max([value for _label, value in bars] + [0]) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW * max(len(bars), 1) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lp-chart" id="{escape(chart_id)}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(bars):
        y = 4 + i * ROW
        length = round(BAR_WIDTH * value / top) if value else 0
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" fill="{TEXT}" font-size="13">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW - 10}" fill="{BAR}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 18}" fill="{TEXT}" font-size="13">{escape(str(value))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
