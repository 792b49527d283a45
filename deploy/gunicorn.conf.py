"""Gunicorn settings shared by `make run` and production (override with GUNICORN_* env vars)."""

import os

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Path only, no query string: a search query may hold a patient's commune or name.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The garbage collector's full collections walk every object of the worker: ≈ 90 ms (national volume, a worker
# of ≈ 115 MiB) once every hundred requests or so, a pause for the worker's four threads, hence its p95
# (docs/performance.md, ninth pass). What the worker holds for its whole life — Django, the apps, and after
# its first requests the compiled templates, URL patterns and prepared queries — is moved out of the collector's
# reach with `gc.freeze()` (https://docs.python.org/3/library/gc.html#gc.freeze): once the app is loaded, and
# again after FREEZE_AFTER requests. Cycles made by requests are still collected.
FREEZE_AFTER = int(os.environ.get("GUNICORN_GC_FREEZE_AFTER", "200"))


def post_worker_init(worker):
    import gc
    import itertools

    gc.freeze()
    worker.requests_seen = itertools.count(1)  # next() on it is atomic under the GIL: the four threads share it


def post_request(worker, req, environ, resp):
    import gc

    if next(worker.requests_seen) == FREEZE_AFTER:
        gc.freeze()
