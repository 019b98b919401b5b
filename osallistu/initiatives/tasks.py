"""Background tasks of initiatives: the e-mails about a change of state, which may go to
many followers, are rendered by the worker rather than in the request."""

from osallistu.core import jobs

from .models import Transition


@jobs.task(name="initiatives.notify_transition")
def notify_transition(*, transition):
    """Queue an e-mail to each author and follower about ``transition``. Running twice
    sends the e-mails twice, which is harmless."""
    from . import notifications

    transition = Transition.objects.select_related("initiative__area").filter(pk=transition).first()
    if transition is not None:
        notifications.state_changed(transition)
