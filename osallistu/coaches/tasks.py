"""Background tasks of coaches: the reminder the day before a meeting, and giving back
the slot of a booking whose e-mail address was not confirmed in time. Both are safe to
run twice."""

import datetime

from osallistu.core import jobs


@jobs.task(name="coaches.send_reminder", timeout=datetime.timedelta(minutes=2))
def send_reminder(*, appointment, begins_at):
    from .services.appointments import send_reminder as remind

    return {
        "sent": remind(
            appointment_id=appointment, begins_at=datetime.datetime.fromisoformat(begins_at)
        )
    }


@jobs.task(name="coaches.expire_hold", timeout=datetime.timedelta(minutes=2))
def expire_hold(*, appointment):
    from .services.appointments import expire_hold as expire

    return {"expired": expire(appointment_id=appointment)}
