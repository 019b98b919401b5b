from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "osallistu.budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self):
        from osallistu.core import parts

        # The ballot summary e-mail job, and the signals that refresh kept ballots.
        from . import ballot_cache, jobs  # noqa: F401

        parts.register(
            parts.Part(
                key="budgeting",
                title=_("Participatory budgeting"),
                description=_(
                    "Propose and vote on how the city spends money in your district and "
                    "in the whole city."
                ),
                url_name="budgeting:rounds",
                order=10,
            )
        )
        parts.register(
            parts.Part(
                key="budgeting_staff",
                title=_("Participatory budgeting"),
                description=_(
                    "Rounds and their money, proposals, plans in co-creation, assisted and "
                    "paper ballots, counting the votes and news of funded plans."
                ),
                url_name="budgeting:staff_rounds",
                order=10,
                staff_only=True,
            )
        )
