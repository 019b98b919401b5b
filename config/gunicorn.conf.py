"""gunicorn settings for production: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Each value can be changed from the environment (``GUNICORN_…``; ``WEB_CONCURRENCY`` is
the usual name of the process count). The defaults suit a small server whose cores
the app shares with PostgreSQL:

- one process per core, since a request mostly runs Python, which holds a process's
  lock; more processes than cores only take turns;
- a few threads in each, so that a request waiting for the database (a commit waits
  for the disk) lets another one run;
- ``gthread`` workers keep a browser's connection open between requests, which
  saves a TCP handshake on every page and form post.
"""

import gc
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", cores))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))  # seconds an idle connection stays
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # a stuck worker is restarted
graceful_timeout = 30
backlog = int(os.environ.get("GUNICORN_BACKLOG", 2048))
# Restart each process now and then so that a slow leak never grows; the jitter keeps
# the processes from restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# Loading the app before forking shares its memory between processes and makes a
# broken deployment fail at start rather than on the first request.
preload_app = True
# Python hands its lock from a thread running Python to a waiting one after this long
# (5 ms by default). Shorter, a thread back from the database, or the one that takes
# the next request off a connection, waits less for its turn (bench/README.md).
switch_interval = float(os.environ.get("GUNICORN_SWITCH_INTERVAL", 0.0005))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def pre_fork(server, worker):
    """Move what loading the app made into the collector's permanent generation: the
    processes then never walk those objects in a full collection, and they keep sharing
    the memory pages that a collection would otherwise write to."""
    gc.freeze()


def post_fork(server, worker):
    sys.setswitchinterval(switch_interval)
