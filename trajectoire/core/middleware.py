import secrets
import time

from .request_context import close_request_memo, open_request_memo, reset_request_id, set_request_id


class RequestIdMiddleware:
    """Gives each request an id (logs, audit events, error pages' reference code) and its memo (request_context)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = secrets.token_hex(8)
        token, memo = set_request_id(request.request_id), open_request_memo()
        try:
            response = self.get_response(request)
        finally:
            close_request_memo(memo)
            reset_request_id(token)
        response["X-Request-Id"] = request.request_id
        return response


class CpuTimeMiddleware:
    """Benchmarks only: the CPU time this thread spent on the request, in the `X-Cpu-Ms` header.

    Added first in MIDDLEWARE only when the environment sets BENCH_CPU_TIMING (config/settings/base.py),
    so that bench/http_load.py can report server CPU per request beside wall time: CPU time is stable on
    a busy machine, where wall time mostly measures the queue. `thread_time()`, not `process_time()`:
    gunicorn's threads share the process. SQL time spent in PostgreSQL's process is not included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.thread_time()
        response = self.get_response(request)
        response["X-Cpu-Ms"] = f"{(time.thread_time() - start) * 1000:.2f}"
        return response
