"""Charts drawn on the server as inline SVG: no script, no library, readable without colour (values printed)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#3b6ea5"
ROW_HEIGHT = 22
LABEL_WIDTH = 150


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text in it went through escape()


def bars(title: str, items: list[tuple[str, float]], width: int = 460, unit: str = "") -> SafeString:
    """Horizontal bars, one row per (label, value), the value written beside its bar."""
    top = max((value for _label, value in items), default=0) or 1
    span = width - LABEL_WIDTH - 60
    body = []
    for row, (label, value) in enumerate(items):
        y = row * ROW_HEIGHT
        length = round(span * value / top)
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW_HEIGHT - 8}" fill="{BAR}"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 15}" font-size="12">{escape(_number(value))}{unit}</text>'
        )
    return _svg(width, max(ROW_HEIGHT, ROW_HEIGHT * len(items)), title, body)


def columns(title: str, items: list[tuple[str, float]], width: int = 640, height: int = 160) -> SafeString:
    """Vertical columns in order (a day each), the first and last label and the highest value written."""
    top = max((value for _label, value in items), default=0) or 1
    plot = height - 30
    step = (width - 40) / max(1, len(items))
    body = [f'<text x="0" y="12" font-size="11">{escape(_number(top))}</text>']
    for index, (label, value) in enumerate(items):
        tall = round(plot * value / top)
        x = 40 + index * step
        body.append(
            f'<rect x="{x:.1f}" y="{plot - tall + 10}" width="{max(1.0, step - 2):.1f}" height="{tall}" fill="{BAR}">'
            f"<title>{escape(label)}: {escape(_number(value))}</title></rect>"
        )
    if items:
        body.append(f'<text x="40" y="{height - 4}" font-size="11">{escape(items[0][0])}</text>')
        body.append(
            f'<text x="{width}" y="{height - 4}" font-size="11" text-anchor="end">{escape(items[-1][0])}</text>'
        )
    return _svg(width, height, title, body)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
