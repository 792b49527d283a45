"""Lock-out per usager account and rate limit per IP, counted in the shared cache (Redis or database)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _conf(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def ip_allowed(ip: str | None, scope: str = "login") -> bool:
    """Counts one attempt from `ip`; False once the window's budget is spent."""
    if not ip:
        return True
    window = _conf("USAGERS_IP_WINDOW_SECONDS", 600)
    return _hit(f"usagers:ip:{scope}:{ip}", window) <= _conf("USAGERS_IP_MAX_ATTEMPTS", 30)


def is_locked(user) -> bool:
    return cache.get(f"usagers:lock:{user.pk}") is not None


def register_failure(user) -> bool:
    """Counts a failed password for `user`; True when this failure locks the account."""
    failures = _hit(f"usagers:fail:{user.pk}", _conf("USAGERS_LOCKOUT_WINDOW_SECONDS", 900))
    if failures >= _conf("USAGERS_LOCKOUT_THRESHOLD", 10):
        cache.set(f"usagers:lock:{user.pk}", 1, timeout=_conf("USAGERS_LOCKOUT_SECONDS", 900))
        cache.delete(f"usagers:fail:{user.pk}")
        return True
    return False


def clear_failures(user) -> None:
    cache.delete_many([f"usagers:fail:{user.pk}", f"usagers:lock:{user.pk}"])
