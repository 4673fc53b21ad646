"""Serving with gunicorn: `.venv/bin/gunicorn -c gunicorn.conf.py "app:create_app()"`.

Settings read the environment where a deployment varies (GUNICORN_BIND, WEB_CONCURRENCY);
the app itself is configured by its own variables (see README).
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
accesslog = "-"


def post_worker_init(worker):
    """Everything loaded at start-up lives as long as the worker: keep it out of the
    collector's full passes, which otherwise walk it every time (tens of milliseconds)."""
    gc.freeze()
