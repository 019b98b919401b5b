"""Background jobs of participatory budgeting (registered in ``BudgetingConfig.ready``)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from osallistu.areas.models import Area
from osallistu.core import jobs

from .models import Plan, Round

# The payload joins a person to their choices, so the job is private: its payload is
# erased when it has run (see osallistu.core.jobs).
BALLOT_SUMMARY = "budgeting.ballot_summary"


@jobs.handler(BALLOT_SUMMARY, private=True)
def send_ballot_summary(payload):
    """E-mail a voter what they chose, in their language, once the ballot is committed.

    The payload is what ``services.cast_ballot`` knew: voter, round, district, plan
    ids, receipt code and whether the ballot was changed. The job sends the message
    itself rather than through ``osallistu.core.mail.send_later``: a second job for
    every ballot would double the worker's work in the busiest days of voting, and a
    mail server that fails makes this job retry just the same.
    """
    voter = get_user_model().objects.filter(pk=payload["voter"]).first()
    if voter is None or not voter.email:
        return None
    plans = (
        Plan.objects.filter(pk__in=payload["plans"])
        .select_related("area")
        .order_by("area__number", "code")
    )
    with translation.override(voter.preferred_language):
        context = {
            "voter": voter,
            "round": Round.objects.get(pk=payload["round"]),
            "district": Area.objects.get(pk=payload["district"]),
            "plans": list(plans),
            "receipt_code": payload["receipt_code"],
            "changed": payload["changed"],
        }
        subject = render_to_string("budgeting/email/ballot_summary_subject.txt", context).strip()
        body = render_to_string("budgeting/email/ballot_summary.txt", context)
    send_mail(subject, body, None, [voter.email])
    return None


@jobs.handler("budgeting.count", timeout=timedelta(minutes=30), attempts=3)
def count_area(payload):
    """Count one area's votes, asked for by ``services.request_count``.

    A count the rules refuse (nobody voted, already published) is not retried: the
    job ends with the reason's code, which the staff page explains. Running the job
    twice makes two previews of the same ballots, which is harmless.
    """
    from . import services  # services imports this module for BALLOT_SUMMARY

    round = Round.objects.get(pk=payload["round"])
    area = Area.objects.get(pk=payload["area"])
    actor = get_user_model().objects.filter(pk=payload.get("actor")).first()
    try:
        tally = services.run_count(round=round, area=area, actor=actor)
    except services.TallyError as error:
        return {"refused": error.code}
    return {"tally": tally.pk}
