"""gunicorn settings for medsite: ``gunicorn -c deploy/gunicorn.conf.py medsite.wsgi``.

Every value can be overridden from the environment (GUNICORN_BIND,
GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT) so one file serves a
laptop, a container and the benchmark.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are short CPU-bound renders or cache hits: a process per core, plus
# one, keeps every core busy while one worker waits on PostgreSQL or Redis.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound;
# the jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# Load the app before forking: workers share its memory and start faster.
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_fork(server, worker):
    # A connection opened while preloading must not be shared between processes.
    from django.db import connections

    connections.close_all()
