"""Small server-rendered SVG charts: no JavaScript, readable when printed (labels and figures
are text, bars have an outline), accessible (role="img", a title and a description).

Why not a library: the home needs horizontal bars with a label and a figure each; a dozen
lines of SVG do it, escape what they print and add no dependency to keep up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

NBSP = "\u00a0"


@dataclass
class Bar:
    label: str
    value: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.total) if self.total else 0


def percent_text(value: int, total: int) -> str:
    """« 42 % » with the non-breaking space French wants before the sign."""
    return f"{round(100 * value / total) if total else 0}{NBSP}%"


def bar_chart(bars: list[Bar], *, title: str, description: str = "", label_width: int = 250,
              bar_width: int = 220, row_height: int = 26, css_class: str = "bar-chart",
              ident: str = "chart") -> Markup:
    """Horizontal bars, one per ``Bar``, each as long as its share of its own total, with
    the percentage and the count written after it."""
    figure_width = 110
    width = label_width + bar_width + figure_width
    height = max(1, len(bars)) * row_height + 4
    parts = [Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{ident}-title {ident}-desc"><title id="{ident}-title">{title}</title>'
        '<desc id="{ident}-desc">{description}</desc>').format(
            css=css_class, width=width, height=height, ident=ident, title=title,
            description=description)]
    for n, bar in enumerate(bars):
        y = n * row_height + 2
        length = round(bar_width * min(bar.value, bar.total) / bar.total) if bar.total else 0
        figure = f"{percent_text(bar.value, bar.total)} ({bar.value}/{bar.total})"
        parts.append(Markup(
            '<g class="bar"><title>{full} : {figure}</title>'
            '<text x="{label_x}" y="{middle}" text-anchor="end" dominant-baseline="middle" '
            'class="bar-label">{label}</text>'
            '<rect x="{x}" y="{top}" width="{bar_width}" height="{thickness}" class="bar-track" '
            'fill="#eef1f4" stroke="#5f6b7a" stroke-width="1"/>'
            '<rect x="{x}" y="{top}" width="{length}" height="{thickness}" class="bar-value" '
            'fill="#1f5f8b"/>'
            '<text x="{figure_x}" y="{middle}" dominant-baseline="middle" '
            'class="bar-figure">{figure}</text></g>').format(
                full=bar.label, figure=figure, label_x=label_width - 8,
                middle=y + row_height / 2,
                label=bar.label if len(bar.label) <= 32 else bar.label[:31] + "…",
                x=label_width, top=y + 4, bar_width=bar_width, thickness=row_height - 8,
                length=length, figure_x=label_width + bar_width + 8))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
