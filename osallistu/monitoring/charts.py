"""Bar charts as SVG, drawn on the server: the same chart on the page and in the PDF.

Each chart has a title and a description that screen readers announce, and the page
puts the table of the same figures beside it; a suppressed bar is drawn as nothing and
labelled "fewer than 5"."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _

BAR = 22
GAP = 8
LABEL_WIDTH = 170
BAR_WIDTH = 300
VALUE_WIDTH = 110


@dataclass(frozen=True)
class Bar:
    y: int
    text_y: int
    label: str
    width: int
    value: str


def shown(cell, attribute="value"):
    value = getattr(cell, attribute)
    if cell.suppressed:
        return _("fewer than 5")
    if value is None:
        return "–"
    return number_format(value, force_grouping=True)


def bar_chart(cells, *, title, attribute="value", chart_id):
    """The context of ``monitoring/_chart.svg`` for one breakdown."""
    values = [getattr(cell, attribute) or 0 for cell in cells if not cell.suppressed]
    largest = max(values, default=0) or 1
    bars = []
    for position, cell in enumerate(cells):
        value = 0 if cell.suppressed else getattr(cell, attribute) or 0
        y = GAP + position * (BAR + GAP)
        bars.append(
            Bar(
                y=y,
                text_y=y + BAR - 6,
                label=cell.label,
                width=round(BAR_WIDTH * value / largest),
                value=shown(cell, attribute),
            )
        )
    description = "; ".join(f"{bar.label}: {bar.value}" for bar in bars)
    return {
        "id": chart_id,
        "title": title,
        "description": description,
        "bars": bars,
        "label_width": LABEL_WIDTH,
        "value_x": LABEL_WIDTH + 6,
        "width": LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        "height": GAP + len(bars) * (BAR + GAP),
    }


def svg(chart):
    """A chart as a standalone SVG document (for the PDF)."""
    return render_to_string("monitoring/_chart.svg", {"chart": chart, "standalone": True})
