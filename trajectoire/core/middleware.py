import secrets

from .request_context import reset_request_id, set_request_id


class RequestIdMiddleware:
    """Gives each request an id (logs, audit events, error pages' reference code)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = secrets.token_hex(8)
        token = set_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-Id"] = request.request_id
        return response
