"""Background tasks of participatory budgeting: the ballot receipt e-mail, mixing the
sealed ballots into the ballot box when voting closes, and counting an area."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from osallistu.areas.models import Area
from osallistu.core import jobs

from .models import Plan, Round


@jobs.task(name="budgeting.ballot_receipt", private=True)
def send_ballot_receipt(*, voter, round, receipt_code, changed, choices=None):
    """E-mail a voter that their ballot is recorded, with its receipt code, in their
    language; with their choices only when they asked for them (``choices`` is
    ``{"district": id, "plans": [ids]}``). The task is private: its arguments are erased
    once it is sent or given up, and mixing strips the choices of one still waiting.
    """
    voter = get_user_model().objects.filter(pk=voter).first()
    if voter is None or not voter.email:
        return None
    with translation.override(voter.preferred_language):
        context = {
            "voter": voter,
            "round": Round.objects.get(pk=round),
            "receipt_code": receipt_code,
            "changed": changed,
        }
        if choices is not None:
            context["district"] = Area.objects.get(pk=choices["district"])
            context["plans"] = list(
                Plan.objects.filter(pk__in=choices["plans"])
                .select_related("area")
                .order_by("area__number", "code")
            )
        subject = render_to_string("budgeting/email/ballot_receipt_subject.txt", context).strip()
        body = render_to_string("budgeting/email/ballot_receipt.txt", context)
    send_mail(subject, body, None, [voter.email])
    return None


@jobs.task(name="budgeting.mix_ballots", timeout=timedelta(minutes=30))
def mix_round(*, round):
    """Move the round's sealed ballots to the ballot box once voting has closed. Queued
    for the closing time; running it again after it succeeded changes nothing."""
    from .services import ballot_box

    try:
        mixed = ballot_box.mix_ballots(round=Round.objects.get(pk=round))
    except ballot_box.BallotBoxError as error:
        return {"refused": error.code}
    return {"ballots": mixed}


@jobs.task(name="budgeting.count", timeout=timedelta(minutes=30), attempts=3)
def count_area(*, round, area, actor):
    """Count one area's votes, asked for by ``services.request_count``.

    A count the rules refuse (nobody voted, already published) is not retried: the
    job ends with the reason's code, which the staff page explains. Running the job
    twice makes two previews of the same ballots, which is harmless.
    """
    from . import services

    round = Round.objects.get(pk=round)
    area = Area.objects.get(pk=area)
    actor = get_user_model().objects.filter(pk=actor).first()
    try:
        tally = services.run_count(round=round, area=area, actor=actor)
    except services.TallyError as error:
        return {"refused": error.code}
    return {"tally": tally.pk}
