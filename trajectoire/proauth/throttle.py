"""Lock-out per account and rate limit per IP for professionals (settings PROAUTH_*).

Only failures count per IP: a hospital behind one address may log many doctors in at shift change.
"""

from trajectoire.core.throttle import Throttle

_throttle = Throttle("proauth")

ip_allowed = _throttle.ip_failures_allowed
register_ip_failure = _throttle.register_ip_failure
is_locked = _throttle.is_locked
pair_wait = _throttle.pair_wait
failures_left = _throttle.failures_left
register_failure = _throttle.register_failure
clear_failures = _throttle.clear_failures
