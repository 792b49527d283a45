"""Lock-out per account and rate limit per IP, counted in the shared cache (Redis or database)."""

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


def ip_allowed(ip: str | None) -> bool:
    """False once `ip` has spent its budget of failed attempts in the window.

    Only failures count: a hospital behind one address may log many doctors in at shift change.
    """
    if not ip:
        return True
    return (cache.get(f"proauth:ip:{ip}") or 0) < _conf("PROAUTH_IP_MAX_ATTEMPTS", 30)


def register_ip_failure(ip: str | None) -> None:
    if ip:
        _hit(f"proauth:ip:{ip}", _conf("PROAUTH_IP_WINDOW_SECONDS", 600))


def is_locked(user) -> bool:
    return cache.get(f"proauth:lock:{user.pk}") is not None


def register_failure(user) -> bool:
    """Counts a failed password or code for `user`; returns True when this failure locks the account."""
    failures = _hit(f"proauth:fail:{user.pk}", _conf("PROAUTH_LOCKOUT_WINDOW_SECONDS", 900))
    if failures >= _conf("PROAUTH_LOCKOUT_THRESHOLD", 10):
        cache.set(f"proauth:lock:{user.pk}", 1, timeout=_conf("PROAUTH_LOCKOUT_SECONDS", 900))
        cache.delete(f"proauth:fail:{user.pk}")
        return True
    return False


def clear_failures(user) -> None:
    cache.delete_many([f"proauth:fail:{user.pk}", f"proauth:lock:{user.pk}"])


def cooldown_active(key: str, seconds: int) -> bool:
    """True if `key` was used less than `seconds` ago; otherwise starts a new cooldown."""
    return not cache.add(f"proauth:cooldown:{key}", 1, timeout=seconds)
