"""Counters for lock-outs and rate limits, kept in the shared cache (Redis or the database), never in a
process: every application server sees the same counts. One `Throttle` per login space, whose limits are
read from settings named `<SCOPE>_LOCKOUT_THRESHOLD`, `<SCOPE>_IP_MAX_ATTEMPTS`, etc.

Failures on an account slow down first the (account, address) pair that makes them: after `PAIR_FREE`
failures each next try from that pair waits 2, 4, 8 … up to `PAIR_MAX_DELAY` seconds. One pair counts for at
most `PAIR_FREE` failures towards the account's hard lock, so a single address can slow itself down but never
lock someone else's account (OWASP Authentication Cheat Sheet, « Account Lockout »).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache


def _incr_reads_then_sets() -> bool:
    """True for the caches whose `incr` is a get then a `set` (database, file); Redis, memcached and the local
    memory cache increment in one step."""
    return isinstance(caches["default"], DatabaseCache | FileBasedCache)


class Throttle:
    def __init__(self, scope: str):
        self.scope = scope

    def _conf(self, name: str, default: int) -> int:
        return int(getattr(settings, f"{self.scope.upper()}_{name}", default))

    def _hit(self, key: str, window: int) -> int:
        """Counts one hit in the window that opened at the key's first hit; returns the count so far.

        The window's end is kept beside the counter (`<key>:fin`) and the counter expires with it. Both are read
        in one call (one round trip; every API request passes here); then one write:
        - database and file caches: their `incr` is a get then a `set` with the DEFAULT timeout (300 s), which
          stretched short windows and cut long ones; the count just read is written back + 1 by one `set` with
          the window's end (not atomic, as their `incr` never was);
        - Redis, memcached, local memory: `incr`, atomic, which keeps the counter's expiry (set by `add` at the
          window's first hit). Only a counter left from the previous window, when the end had expired first,
          takes the new window's end (`touch`)."""
        now = time.time()
        fin = f"{key}:fin"
        found = cache.get_many([key, fin])
        ends_at = found.get(fin)
        if ends_at is None:
            ends_at = cache.get_or_set(fin, now + window, timeout=window)
        remaining = max(1, math.ceil(ends_at - now))
        if _incr_reads_then_sets():
            count = found.get(key, 0) + 1
            cache.set(key, count, timeout=remaining)
            return count
        if key not in found:
            cache.add(key, 0, timeout=remaining)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the read and incr()
            cache.set(key, 1, timeout=remaining)
            return 1
        if key in found and fin not in found:
            cache.touch(key, timeout=remaining)
        return count

    # Per IP -----------------------------------------------------------------------------------------------
    def ip_failures_allowed(self, ip: str | None) -> bool:
        """False once `ip` has spent its budget of *failed* attempts in the window."""
        if not ip:
            return True
        return (cache.get(f"{self.scope}:ip:{ip}") or 0) < self._conf("IP_MAX_ATTEMPTS", 30)

    def register_ip_failure(self, ip: str | None) -> None:
        if ip:
            self._hit(f"{self.scope}:ip:{ip}", self._conf("IP_WINDOW_SECONDS", 600))

    def ip_attempt_allowed(self, ip: str | None, action: str = "login") -> bool:
        """Counts one attempt (failed or not) of `action` from `ip`; False once the window's budget is spent."""
        if not ip:
            return True
        window = self._conf("IP_WINDOW_SECONDS", 600)
        return self._hit(f"{self.scope}:ip:{action}:{ip}", window) <= self._conf("IP_MAX_ATTEMPTS", 30)

    # Per client (API) -------------------------------------------------------------------------------------
    def rate_allowed(self, key: str) -> bool:
        """Counts one request for `key`; False once `<SCOPE>_RATE_MAX_REQUESTS` per window are spent."""
        window = self._conf("RATE_WINDOW_SECONDS", 60)
        return self._hit(f"{self.scope}:rate:{key}", window) <= self._conf("RATE_MAX_REQUESTS", 600)

    # Per account ------------------------------------------------------------------------------------------
    def is_locked(self, user) -> bool:
        return cache.get(f"{self.scope}:lock:{user.pk}") is not None

    def pair_wait(self, user, ip: str | None) -> int:
        """Seconds before this address may try this account again (0: now)."""
        until = cache.get(f"{self.scope}:pairwait:{user.pk}:{ip}") or 0
        return max(0, int(until - time.time() + 0.999))

    def failures_left(self, user) -> int:
        """Failures the account may still take before its hard lock."""
        return max(0, self._conf("LOCKOUT_THRESHOLD", 10) - (cache.get(f"{self.scope}:fail:{user.pk}") or 0))

    def register_failure(self, user, ip: str | None = None) -> bool:
        """Counts a failed attempt for `user` from `ip`; True when this failure locks the account."""
        window = self._conf("LOCKOUT_WINDOW_SECONDS", 900)
        pair = self._hit(f"{self.scope}:pair:{user.pk}:{ip}", window)
        free = self._conf("PAIR_FREE", 3)
        if pair >= free:
            delay = min(2 ** (pair - free + 1), self._conf("PAIR_MAX_DELAY", 300))
            cache.set(f"{self.scope}:pairwait:{user.pk}:{ip}", time.time() + delay, timeout=delay + 1)
        if pair > free:
            return False  # this address has had its share: it slows itself down, it does not lock the account
        failures = self._hit(f"{self.scope}:fail:{user.pk}", window)
        if failures >= self._conf("LOCKOUT_THRESHOLD", 10):
            cache.set(f"{self.scope}:lock:{user.pk}", 1, timeout=self._conf("LOCKOUT_SECONDS", 900))
            cache.delete_many([f"{self.scope}:fail:{user.pk}", f"{self.scope}:fail:{user.pk}:fin"])
            return True
        return False

    def clear_failures(self, user, ip: str | None = None) -> None:
        fail, pair = f"{self.scope}:fail:{user.pk}", f"{self.scope}:pair:{user.pk}:{ip}"
        cache.delete_many(
            [
                fail,
                f"{fail}:fin",
                f"{self.scope}:lock:{user.pk}",
                pair,
                f"{pair}:fin",
                f"{self.scope}:pairwait:{user.pk}:{ip}",
            ]
        )
