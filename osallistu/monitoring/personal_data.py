"""Monitoring holds figures, not people (see ``osallistu.core.personal_data``); only who
asked for a committee report."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from osallistu.core.personal_data import Basis, Purpose, register_model

REPORTS = Purpose(
    key="monitoring.reports",
    title=_("Committee reports"),
    description=_("Which member of staff asked for a committee report."),
    basis=Basis.PUBLIC_TASK,
    retention=_("Kept with the report."),
    order=870,
)

model = apps.get_model
register_model(
    model("monitoring", "ParticipationPlan"),
    other=[
        "division",
        "title",
        "committee",
        "first_year",
        "last_year",
        "approved_on",
        "created_at",
    ],
)
register_model(
    model("monitoring", "Goal"),
    other=["plan", "indicator", "district", "measure", "target", "description"],
)
register_model(
    model("monitoring", "CommitteeReport"),
    personal={REPORTS: ["requested_by"]},
    other=[
        "plan", "period_start", "period_end", "language", "commentary", "scheduled", "state",
        "requested_at", "made_at", "pdf", "figures",
    ],
)  # fmt: skip
register_model(
    model("monitoring", "SettledFigures"),
    other=["source", "year", "district", "rows", "stored_at"],
)
