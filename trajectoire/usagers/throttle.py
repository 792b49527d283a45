"""Lock-out per usager account and rate limit per IP (settings USAGERS_*): every attempt counts per IP."""

from trajectoire.core.throttle import Throttle

_throttle = Throttle("usagers")


def ip_allowed(ip: str | None, scope: str = "login") -> bool:
    return _throttle.ip_attempt_allowed(ip, scope)


is_locked = _throttle.is_locked
pair_wait = _throttle.pair_wait
register_failure = _throttle.register_failure
clear_failures = _throttle.clear_failures
