from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "osallistu.budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self):
        from osallistu.core import parts

        # ballot_cache and tasks: the signals that refresh kept ballots, the background
        # tasks.
        from . import ballot_cache, permissions, tasks  # noqa: F401

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
                visible_to=permissions.may_use_budgeting_desk,
            )
        )
