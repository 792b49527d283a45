"""Zero server errors on hostile input: every URL pattern × every role, GET and POST with hostile values.

Seeded (FUZZ_SEED, default 14) and bounded: each (pattern, role) gets a few requests whose query parameters
and form fields (read from the page's HTML and from the code) take values from a fixed hostile list
(unicode digits, NaN, huge and negative numbers, 23-digit ids, extreme dates, NUL bytes, 10 kB strings,
markup). A JSON API may answer 4xx; nothing may answer 5xx or show a traceback.
"""

from __future__ import annotations

import logging
import os
import random
import time

import pytest
from django.core.cache import cache
from django.test import Client

from .urls import HOSTILE, TYPED_HOSTILE, form_fields, paths, routes, source_names, typed_fields
from .world import build_world

SEED = int(os.environ.get("FUZZ_SEED", "14"))
# CPU seconds of this process: a guard against a runaway walk, not a speed target. The walk (≈ 6,200 requests)
# took ≈ 57 s on PostgreSQL on 2026-11-25 and ≈ 120 s on the same container on 2026-11-30, twice as slow then.
BUDGET_S = float(os.environ.get("FUZZ_BUDGET_S", "300"))
ROUNDS = int(os.environ.get("FUZZ_ROUNDS", "1"))  # hostile GET + POST rounds on a page the role may open


def _values(names, defaults, rng, turn):
    """Every name gets a hostile value, in rotation (over a pattern's requests each name meets every value);
    half of the page's fields keep their default, to reach the code behind the first check."""
    data = {}
    for i, name in enumerate(sorted(names)):
        if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")) and name in defaults:
            data[name] = defaults[name]  # Django caps formsets at 1,000 forms: rendering them is only slow
        elif name in defaults and rng.random() < 0.5:
            data[name] = defaults[name]
        else:
            data[name] = HOSTILE[(turn + i) % len(HOSTILE)]
    return data


def _roles(route, users):
    """The administration's pages answer every non-staff user alike (a redirect): three roles suffice there."""
    if route.name.startswith("admin:"):
        return {role: users[role] for role in ("anonyme", "medecin", "admin")}
    return users


def _check(failures, method, path, role, response_or_exc, data=None):
    if isinstance(response_or_exc, Exception):
        failures.append(f"{role} {method} {path[:120]!r}: {response_or_exc!r:.300}")
        return
    body = b"" if getattr(response_or_exc, "streaming", False) else response_or_exc.content
    if response_or_exc.status_code >= 500 or b"Traceback (most recent call last)" in body:
        failures.append(f"{role} {method} {path[:120]!r}: HTTP {response_or_exc.status_code}")


def _request(client, method, path, data):
    try:
        if method == "GET":
            return client.get(path, data)
        return client.post(path, data)
    except Exception as exc:  # the test client re-raises the view's exception: that is a 500
        return exc


# The administration's delete pages are Django's own (a POST there would empty the world): GET only.
def _fuzz_path(client, path, role, names, rng, turn, failures, rounds):
    """GET the page as is, then `rounds` GET and POST with hostile values; returns the requests made."""
    response = _request(client, "GET", path, {})
    _check(failures, "GET", path, role, response)
    streaming = getattr(response, "streaming", False) or not hasattr(response, "content")
    html = "" if streaming else response.content.decode(errors="replace")
    defaults, typed = form_fields(html), typed_fields(html)
    if getattr(response, "status_code", 0) != 200:
        rounds = 1  # a refused or missing page: one try is enough to show it stays refused
    count = 1
    for _ in range(rounds):
        for method in ("GET", "POST") if not path.endswith("/delete/") else ("GET",):
            data = _values(names | set(defaults), defaults, rng, turn[0])
            turn[0] += 1
            _check(failures, method, path, role, _request(client, method, path, data), data)
            count += 1
    if typed and rounds:  # one date or number field hostile, the others as the page has them
        name = sorted(typed)[turn[0] % len(typed)]
        values = TYPED_HOSTILE[typed[name]]
        data = {**defaults, name: values[turn[0] % len(values)]}
        _check(failures, "GET", path, role, _request(client, "GET", path, data), data)
        count += 1
    return count


@pytest.mark.django_db(transaction=False)
def test_no_server_error_on_hostile_input(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    logging.disable(logging.CRITICAL)  # the 4xx of hostile requests are logged: not the test's output
    rng = random.Random(SEED)
    world = build_world()
    names = set(source_names())
    failures, count, started, cpu = [], 0, time.monotonic(), time.process_time()
    all_routes = routes()
    timings = {}
    for route in all_routes:
        route_started = time.monotonic()
        turn = [rng.randrange(len(HOSTILE))]
        good, bad = paths(route, world, rng)
        for role, user in _roles(route, world.users).items():
            cache.clear()  # rate limits would hide the views behind 429s
            client = Client()
            if user is not None:
                client.force_login(user)
            for path in good:
                count += _fuzz_path(client, path, role, names, rng, turn, failures, ROUNDS)
            for path in bad:
                count += _fuzz_path(client, path, role, names, rng, turn, failures, 1)
            assert time.process_time() - cpu < BUDGET_S, f"fuzz budget exceeded after {count} requests"
        timings[route.name] = time.monotonic() - route_started
    if os.environ.get("FUZZ_TIMINGS"):
        print(sorted(timings.items(), key=lambda t: -t[1])[:25])
    logging.disable(logging.NOTSET)
    elapsed = time.monotonic() - started
    print(
        f"fuzz: {len(all_routes)} patterns, {count} requests in {elapsed:.1f} s "
        f"({time.process_time() - cpu:.1f} s CPU, seed {SEED})"
    )
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])
