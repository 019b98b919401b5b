"""Running the same call in several threads at once, for the PostgreSQL tests."""

import threading

from django.db import connection


def at_once(runs, call):
    """Start ``runs`` threads that make ``call(index)`` together (past one barrier)
    and return what each returned, or the exception it raised. Each thread closes its
    own database connection."""
    barrier = threading.Barrier(runs)
    outcomes = [None] * runs

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = call(index)
        except Exception as error:  # the caller's assertions report it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
