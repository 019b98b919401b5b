"""The certificate of a volunteer's confirmed hours, as a PDF in the active language.

Made with ReportLab and the Bitstream Vera fonts it ships (embedded in the file), so
that names and titles keep their letters; nothing is downloaded. Render inside
``translation.override``.
"""

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .selectors import CITY_TZ
from .templatetags.volunteering import hours

FONTS = Path(reportlab.__file__).parent / "fonts"


def _register_fonts():
    if "OsallistuVera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("OsallistuVera", str(FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("OsallistuVeraBold", str(FONTS / "VeraBd.ttf")))


@dataclass
class Certificate:
    """What a certificate says, in the active language."""

    heading: str
    summary: str
    columns: list
    rows: list  # [date, task, organiser, hours]
    total: list
    issued: str


def certificate_content(volunteer, signups, *, now):
    """``signups``: the attended sign-ups with their confirmed hours (see
    ``selectors.confirmed_hours_of``)."""
    total = sum((signup.hours for signup in signups), Decimal(0))
    name = volunteer.full_name or volunteer.email
    return Certificate(
        heading=_("Certificate of volunteering"),
        summary=ngettext(
            "%(name)s has volunteered on %(count)s shift, as its organiser below has "
            "confirmed. Hours in all: %(hours)s.",
            "%(name)s has volunteered on %(count)s shifts, as their organisers below have "
            "confirmed. Hours in all: %(hours)s.",
            len(signups),
        )
        % {"name": name, "hours": hours(total), "count": len(signups)},
        columns=[_("Date"), _("Task"), _("Organiser"), _("Hours")],
        rows=[
            [
                date_format(
                    timezone.localtime(signup.shift.starts_at, CITY_TZ), "SHORT_DATE_FORMAT"
                ),
                signup.shift.opportunity.title,
                signup.shift.opportunity.organiser.name,
                hours(signup.hours),
            ]
            for signup in signups
        ],
        total=["", "", _("Total"), hours(total)],
        issued=_("Issued on %(date)s by Osallistu, the City of Helsinki's service for taking part.")
        % {"date": date_format(timezone.localtime(now, CITY_TZ), "DATE_FORMAT")},
    )


def certificate_pdf(volunteer, signups, *, now=None):
    """The certificate (``certificate_content``) as a PDF's bytes."""
    _register_fonts()
    content = certificate_content(volunteer, signups, now=now or timezone.now())
    body = ParagraphStyle("body", fontName="OsallistuVera", fontSize=10.5, leading=14)
    title = ParagraphStyle(
        "title", parent=body, fontName="OsallistuVeraBold", fontSize=18, leading=24
    )
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.grey)
    story = [
        Paragraph(escape(content.heading), title),
        Spacer(1, 6 * mm),
        Paragraph(escape(content.summary), body),
        Spacer(1, 6 * mm),
    ]
    rows = [
        content.columns,
        *[
            [day, Paragraph(escape(task), body), Paragraph(escape(organiser), body), amount]
            for day, task, organiser, amount in content.rows
        ],
        content.total,
    ]
    table = Table(rows, colWidths=[25 * mm, 75 * mm, 50 * mm, 20 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "OsallistuVera"),
                ("FONTNAME", (0, 0), (-1, 0), "OsallistuVeraBold"),
                ("FONTNAME", (0, -1), (-1, -1), "OsallistuVeraBold"),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
            ]
        )
    )
    story += [table, Spacer(1, 10 * mm), Paragraph(escape(content.issued), small)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=content.heading,
        subject=content.summary,
        author="Osallistu",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    document.build(story)
    return buffer.getvalue()
