"""Opening, listing and ending sessions; the inactivity and maximum-age policy (SPEC §2.7)."""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.models import Session
from django.utils import timezone

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.core.request_context import client_ip

from . import devices
from .models import UserSession

STARTED = "proauth_started"
LAST_SEEN = "proauth_last_seen"
MEANS = "proauth_means"
TOUCH_EVERY = 60  # seconds between two writes of "last seen"


def open_session(request, user, means: str) -> None:
    """Log `user` in (new session key), remember how, and list the session on "Mes sessions actives"."""
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    request.session[MEANS] = means
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "means": means,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    record(Action.LOGIN_SUCCESS, request=request, actor=user, means=means)
    devices.remember(request, user, means)


def close_session(request, reason: str = "logout") -> None:
    key = request.session.session_key
    auth.logout(request)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def expired_reason(session, now: float) -> str:
    started, last_seen = session.get(STARTED), session.get(LAST_SEEN)
    if started is not None and now - started > settings.SESSION_COOKIE_AGE:
        return "max_age"
    if last_seen is not None and now - last_seen > settings.SESSION_INACTIVITY_TIMEOUT:
        return "inactivity"
    return ""


def touch(request, now: float) -> None:
    session = request.session
    session.setdefault(STARTED, now)
    if now - session.get(LAST_SEEN, 0) < TOUCH_EVERY:
        return
    session[LAST_SEEN] = now
    key = session.session_key
    if key and not UserSession.objects.filter(session_key=key).update(last_seen=timezone.now()):
        UserSession.objects.create(
            session_key=key,
            user=request.user,
            means=session.get(MEANS, ""),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )


def active_sessions(user):
    """The user's sessions still alive in the session store (others are cleaned on the way)."""
    rows = list(UserSession.objects.filter(user=user))
    alive = set(
        Session.objects.filter(
            session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    dead = [r.pk for r in rows if r.session_key not in alive]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [r for r in rows if r.session_key in alive]


def end_sessions(request, user, sessions) -> int:
    keys = [s.session_key for s in sessions]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:  # through the store: with `cached_db` the cached copy is deleted with the row
        store(session_key=key).delete()
    UserSession.objects.filter(user=user, session_key__in=keys).delete()
    for key in keys:
        record(Action.SESSION_ENDED, request=request, actor=user, object_type="session", object_id=key[:8])
    return len(keys)
