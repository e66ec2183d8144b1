"""gunicorn settings for `make serve` and deployments (ARCHITECTURE.md §7: gthread workers, so
slow uploads on slow links are not killed at 30 s)."""

import multiprocessing
import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))
keepalive = 5
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
raw_env = ["DJANGO_SETTINGS_MODULE=oncoreach.settings"]
