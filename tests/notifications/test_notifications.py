import socket

import pytest
from django.core import mail
from django.test import override_settings

from tests.factories.accounts import UserFactory
from trajectoire.notifications.enums import EmailStatus
from trajectoire.notifications.models import Notification, OutgoingEmail
from trajectoire.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_in_app_notification_for_everyone_email_only_for_opted_in_users():
    opted_in = UserFactory(notify_by_email=True, email="oui@exemple.test")
    opted_out = UserFactory(notify_by_email=False, email="non@exemple.test")
    notify([opted_in, opted_out], title="Demande acceptée", body="L’EHPAD propose une date.", url="/demandes/1/")
    assert Notification.objects.filter(user=opted_in).count() == 1
    assert Notification.objects.filter(user=opted_out).count() == 1
    assert [m.to for m in mail.outbox] == [["oui@exemple.test"]]
    message = mail.outbox[0]
    assert message.subject == "[Trajectoire] Demande acceptée"
    assert "/demandes/1/" in message.body
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=_closed_port()
)
def test_an_email_that_cannot_be_sent_is_kept_for_retry_not_lost():
    user = UserFactory(notify_by_email=True, email="oui@exemple.test")
    notify([user], title="Complément demandé")
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.PENDING
    assert email.attempts == 1
    assert email.last_error  # the exception class name, no personal data


def test_notification_pages(client):
    user = UserFactory()
    other = UserFactory()
    notify([user], title="Nouvelle demande reçue")
    notify([other], title="Pas pour vous")
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    assert "Nouvelle demande reçue" in html and "Pas pour vous" not in html
    assert "non lue" in html
    home = client.get("/").content.decode()
    assert '1<span class="fr-sr-only"> non lues</span>' in home
    client.post("/notifications/lire/")
    assert Notification.objects.get(user=user).read_at is not None
    # another user's notification cannot be marked read through the id
    other_notification = Notification.objects.get(user=other)
    client.post(f"/notifications/{other_notification.pk}/lire/")
    other_notification.refresh_from_db()
    assert other_notification.read_at is None


def test_email_notifications_are_on_by_default_and_can_be_turned_off(client):
    from trajectoire.accounts.models import User

    assert User.objects.create_user(username="nouveau", email="nouveau@exemple.test").notify_by_email is True
    user = UserFactory()
    assert user.notify_by_email is True
    client.force_login(user)
    client.post("/notifications/preferences/", {})
    user.refresh_from_db()
    assert user.notify_by_email is False
    client.post("/notifications/preferences/", {"notify_by_email": "on"})
    user.refresh_from_db()
    assert user.notify_by_email is True
