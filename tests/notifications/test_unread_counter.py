"""The bell's counter lives on the user row (no query per page) and always equals the unread notifications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import UserFactory
from trajectoire.accounts.models import User
from trajectoire.notifications.models import Notification
from trajectoire.notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db


def _counter(user) -> int:
    return User.objects.values_list("unread_notifications", flat=True).get(pk=user.pk)


def _truth(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_counter_follows_notify_and_mark_read():
    alice, bob = UserFactory(notify_by_email=False), UserFactory(notify_by_email=False)
    notify([alice, bob], title="Demande acceptée")
    notify([alice, alice, None], title="Complément demandé")  # one notification per person
    assert (_counter(alice), _counter(bob)) == (2, 1) == (_truth(alice), _truth(bob))
    first = Notification.objects.filter(user=alice).order_by("pk").first()
    assert mark_read(alice, first.pk) == 1
    assert _counter(alice) == 1 == _truth(alice) == alice.unread_notifications
    assert mark_read(alice, first.pk) == 0  # already read: nothing changes
    assert mark_read(alice) == 1
    assert (_counter(alice), _counter(bob)) == (0, 1)


def test_marking_another_users_notification_changes_nothing():
    alice, bob = UserFactory(notify_by_email=False), UserFactory(notify_by_email=False)
    notify([bob], title="Nouvelle demande")
    assert mark_read(alice, Notification.objects.get(user=bob).pk) == 0
    assert (_counter(alice), _counter(bob)) == (0, 1)


def test_a_full_save_of_a_stale_user_keeps_the_counter():
    """A profile saved with a user read before a notification arrived must not write the old count back."""
    user = UserFactory(notify_by_email=False)
    stale = User.objects.get(pk=user.pk)
    notify([user], title="Demande refusée")
    stale.first_name = "Camille"
    stale.save()
    assert _counter(user) == 1
    assert User.objects.get(pk=user.pk).first_name == "Camille"
    deferred = User.objects.only("pk", "last_name").get(pk=user.pk)
    deferred.last_name = "Martin"
    deferred.save()  # only the loaded fields, as Django does for deferred instances
    assert User.objects.values_list("first_name", "last_name").get(pk=user.pk) == ("Camille", "Martin")


def test_header_shows_the_counter_without_querying_notifications(client):
    user = UserFactory(notify_by_email=False)
    notify([user], title="Demande acceptée")
    notify([user], title="Demande refusée")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/notifications/preferences/").content.decode()
    assert '2<span class="fr-sr-only"> non lues</span>' in html
    assert not any("notifications_notification" in q["sql"] for q in queries.captured_queries)
    client.post("/notifications/lire/")
    assert "non lues" not in client.get("/notifications/preferences/").content.decode()


def test_migration_counts_what_is_stored():
    from importlib import import_module

    from django.apps import apps

    user, other = UserFactory(notify_by_email=False), UserFactory(notify_by_email=False)
    notify([user, other], title="A")
    notify([user], title="B")
    mark_read(other)
    User.objects.update(unread_notifications=0)
    import_module("trajectoire.notifications.migrations.0003_count_unread").count_unread(apps, None)
    assert (_counter(user), _counter(other)) == (2, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_notifications_and_reading_keep_the_count():
    """Notifications to overlapping people written at once (in opposite orders), and one of them reading hers
    meanwhile: no deadlock (the notification's foreign key and the counter's update lock the same user rows
    that `mark_read` locks first), and every counter equals its unread notifications at the end. PostgreSQL,
    real concurrent transactions; the narrowest interleavings are argued in `mark_read`, not forced here."""
    import threading

    from django.db import connection as main_connection
    from django.db import connections

    if main_connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite serialises write transactions)")
    people = [UserFactory(notify_by_email=False) for _ in range(4)]
    errors = []

    def send(order, rounds):
        try:
            for i in range(rounds):
                notify(order, title=f"Demande {i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def read(user, rounds):
        try:
            for _ in range(rounds):
                mark_read(user)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=send, args=(people, 15)),
        threading.Thread(target=send, args=(list(reversed(people)), 15)),
        threading.Thread(target=read, args=(people[1], 10)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for user in people:
        assert _counter(user) == _truth(user)
    assert _truth(people[0]) == 30
