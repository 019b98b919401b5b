"""Fifty people try for one slot at once on a file SQLite database, each thread with
its own connection. Run by test_integrity_sqlite.py in a process of its own, with
DATABASE_URL pointing to a new file; prints the outcome as JSON."""

import json
import os
import sys
import threading

import django

ATTEMPTS = 50


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    assert connection.vendor == "sqlite" and connection.settings_dict["NAME"] != ":memory:"
    call_command("migrate", verbosity=0)

    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.premises import services
    from osallistu.premises.models import Booking
    from tests.factories import UserFactory
    from tests.premises.conftest import NOW, at
    from tests.premises.factories import SpaceFactory

    load_helsinki_areas()
    space = SpaceFactory()
    people = [UserFactory() for _ in range(ATTEMPTS)]
    connection.close()
    barrier = threading.Barrier(ATTEMPTS)
    outcomes = [None] * ATTEMPTS

    def attempt(index):
        try:
            barrier.wait()
            services.create_booking(
                space=space,
                booker=people[index],
                begins_at=at(1, 17),
                ends_at=at(1, 19),
                attendees=10,
                now=NOW,
            )
            outcomes[index] = "booked"
        except services.BookingError as error:
            outcomes[index] = f"{error.code}: {error}"
        except Exception as error:  # reported to the test
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    rows = Booking.objects.active().filter(space=space).count()
    json.dump({"outcomes": outcomes, "rows": rows}, sys.stdout)


if __name__ == "__main__":
    main()
