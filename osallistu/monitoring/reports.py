"""Committee reports: the figures of a plan's period, its goals against what was
realised, the equality view and staff commentary, as a tagged PDF (Typst) and the
figures behind it as CSV and XLSX.

Typst (the ``typst`` package on PyPI) is used for the PDF: its wheels carry the whole
compiler and its fonts, so nothing is installed from the system, and it writes tagged
PDF (headings, tables and figures with alternative text in the structure tree, the
document's language and title) that passes PDF/UA-1. The charts are the same SVG as
on the dashboard.
"""

import datetime
import json
from pathlib import Path

import typst
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from . import charts, exports, selectors
from .indicators import BY_KEY, INDICATORS
from .models import Measure

TEMPLATE = Path(__file__).with_name("report.typ")


def period_bounds(report):
    """The period as aware datetimes: from the first day's start to the day after the last."""
    since = timezone.make_aware(datetime.datetime.combine(report.period_start, datetime.time()))
    until = timezone.make_aware(
        datetime.datetime.combine(report.period_end + datetime.timedelta(days=1), datetime.time())
    )
    return since, until


def figures_of(report, district=None):
    since, until = period_bounds(report)
    return selectors.period_figures(
        since=since, until=until, year=report.period_end.year, district=district, public=True
    )


def goal_rows(report, figures_by_district):
    rows = []
    for goal in report.plan.goals.select_related("district"):
        indicator = BY_KEY.get(goal.indicator)
        if indicator is None:
            continue
        figures = next(f for f in figures_by_district[goal.district_id] if f.indicator is indicator)
        total = figures.total
        actual = total.rate if goal.measure == Measure.RATE else total.value
        if total.suppressed:
            shown, status = _("fewer than 5"), "–"
        elif actual is None:
            shown, status = "–", "–"
        else:
            shown = formats.number_format(actual, force_grouping=True)
            status = _("reached") if actual >= goal.target else _("not yet")
        rows.append(
            {
                "indicator": f"{indicator.title} ({goal.get_measure_display()})",
                "area": goal.district.name if goal.district else str(_("All of the city")),
                "target": formats.number_format(goal.target, force_grouping=True),
                "actual": shown,
                "status": str(status),
            }
        )
    return rows


def _cell_text(cell, attribute="value"):
    if cell["suppressed"]:
        return str(_("fewer than 5"))
    value = cell[attribute]
    return "–" if value is None else formats.number_format(value, force_grouping=True)


def _tables(item):
    columns = [str(_("Group")), item["unit"].capitalize()]
    with_rate = bool(item["rate_label"])
    if with_rate:
        columns += [str(_("Residents")), item["rate_label"].capitalize(), str(_("Index"))]
    tables = []
    for caption, cells in (
        (_("By district"), item["by_district"]),
        (_("By age group"), item["by_age"]),
        (_("By channel"), item["by_channel"]),
        (item.get("group_caption") or "", item.get("by_group", [])),
    ):
        if not cells:
            continue
        rows = []
        for cell in cells:
            row = [cell["label"], _cell_text(cell)]
            if with_rate:
                row += [
                    "–"
                    if cell["population"] is None
                    else formats.number_format(cell["population"], force_grouping=True),
                    _cell_text(cell, "rate"),
                    _cell_text(cell, "index"),
                ]
            rows.append(row)
        tables.append({"caption": str(caption), "columns": columns, "rows": rows})
    return tables


def _chart(item, number):
    cells = item["by_district"] or item["by_age"]
    if not cells:
        return None
    chart = charts.bar_chart(
        [selectors.Cell(**cell) for cell in cells],
        title=_("%(indicator)s by district") % {"indicator": item["title"]}
        if item["by_district"]
        else _("%(indicator)s by age group") % {"indicator": item["title"]},
        chart_id=f"report-chart-{number}",
    )
    return {"svg": charts.svg(chart), "alt": chart["description"], "title": chart["title"]}


def _total_text(item):
    total = item["total"]
    if total["suppressed"]:
        return str(_("Fewer than 5 people: the figure is not published."))
    if total["value"] is None:
        return "–"
    text = f"{_('Total')}: {_cell_text(total)} {item['unit']}"
    if total["rate"] is not None:
        text += f" – {_cell_text(total, 'rate')} {item['rate_label']}"
    return text


def document_data(report, data, goals):
    """Everything the PDF shows, translated, as the template reads it."""
    plan = report.plan
    period = f"{formats.date_format(report.period_start)}–{formats.date_format(report.period_end)}"
    indicators = []
    for number, item in enumerate(data):
        indicators.append(
            {
                "title": item["title"],
                "total_text": _total_text(item),
                "chart": _chart(item, number),
                "tables": _tables(item),
                "missing": [
                    _("%(kind)s %(group)s: representation index %(index)s")
                    % {
                        "kind": missing["kind"],
                        "group": missing["label"],
                        "index": missing["index"],
                    }
                    for missing in item["under_represented"]
                ],
            }
        )
    return {
        "lang": report.language,
        "title": _("Participation report: %(division)s") % {"division": plan.division.name},
        "subtitle": _("%(plan)s. For %(committee)s, period %(period)s. Made %(made)s.")
        % {
            "plan": plan.title,
            "committee": plan.committee,
            "period": period,
            "made": formats.date_format(timezone.localdate()),
        },
        "approximate": any(item["approximate"] for item in data),
        "commentary": report.commentary.replace("\r\n", "\n").strip(),
        "goals": goals,
        "indicators": indicators,
        "definitions": [
            {"title": str(indicator.title), "text": str(indicator.definition)}
            for indicator in INDICATORS
        ],
        "labels": {
            "approximate_title": str(_("Approximate population figures.")),
            "approximate_text": str(
                _(
                    "The population figures used in this report are estimates (demo data), "
                    "not the city's official statistics: rates and representation indexes "
                    "are approximate too."
                )
            ),
            "suppression": str(
                _(
                    "Figures of 1–4 people are not published, and neither is the next "
                    "smallest figure of a table where only one would be hidden."
                )
            ),
            "goals_heading": str(_("Goals and realisation")),
            "no_goals": str(_("The plan has no goals yet.")),
            "goal_columns": [
                str(_("Goal")),
                str(_("Area")),
                str(_("Target")),
                str(_("Realised")),
                str(_("Status")),
            ],
            "commentary_heading": str(_("Commentary")),
            "no_commentary": str(_("No commentary was written.")),
            "equality_heading": str(_("Under-represented groups")),
            "definitions_heading": str(_("How the indicators are defined")),
        },
    }


def make_report(report):
    """``(pdf bytes, figures snapshot)`` of ``report`` in its language."""
    with translation.override(report.language):
        figures = figures_of(report)
        by_district = {None: figures}
        for goal in report.plan.goals.select_related("district"):
            if goal.district_id not in by_district:
                by_district[goal.district_id] = figures_of(report, goal.district)
        data = exports.snapshot(figures)
        goals = goal_rows(report, by_district)
        content = document_data(report, data, goals)
        pdf = typst.compile(
            TEMPLATE.read_bytes(),
            format="pdf",
            sys_inputs={"data": json.dumps(content)},
            pdf_standards=["ua-1"],
        )
    return pdf, {"indicators": data, "goals": goals}
