"""Adding ``ProposalComment.proposal_hidden`` to a database that has comments: those of
proposals hidden before it are marked, so the public list never shows them."""

import pytest
from django.utils import timezone

from osallistu.budgeting.models import Proposal, ProposalComment
from osallistu.budgeting.selectors import public_proposal_comments
from tests.budgeting import factories
from tests.factories import UserFactory
from tests.migrating import migrate

pytestmark = [
    pytest.mark.integrity,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("latest_after"),
]

BEFORE = [("budgeting", "0015_proposal_and_comment_indexes_for_open_data")]
AFTER = [("budgeting", "0016_comment_knows_its_proposal_is_hidden")]


def test_comments_of_proposals_hidden_before_are_marked(helsinki):
    round = factories.proposing_round(helsinki.values(), slug="ideas")
    comments = {}
    for title in ("Näkyvä", "Piilotettu"):
        proposal = Proposal.objects.create(
            round=round,
            area=helsinki["eastern"],
            title=title,
            description="Penkki.",
            language="fi",
            theme="parks",
            author=UserFactory(),
        )
        comments[title] = ProposalComment.objects.create(
            proposal=proposal, author=UserFactory(), text="Hyvä."
        )
    migrate(BEFORE)
    Proposal.objects.filter(title="Piilotettu").update(
        hidden_at=timezone.now(), hidden_reason="Asiaton."
    )
    migrate(AFTER)
    assert list(public_proposal_comments()) == [comments["Näkyvä"]]
    assert ProposalComment.objects.get(pk=comments["Piilotettu"].pk).proposal_hidden
