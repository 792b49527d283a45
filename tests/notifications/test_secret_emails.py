"""Links that open an account (confirmation, password reset) are never kept usable in the e-mail table
(issue 14, item 12): sealed while waiting for the worker, wiped once sent."""

import re

import pytest
from django.core import mail

from tests.factories.usagers import FamilleFactory
from trajectoire.notifications.models import OutgoingEmail
from trajectoire.usagers.services import comptes

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/(?:confirmer|mot-de-passe)/\S+")


@pytest.mark.parametrize("send", ["reset", "confirmation"])
def test_no_usable_link_at_rest(send, django_capture_on_commit_callbacks):
    user = FamilleFactory(unconfirmed=send == "confirmation")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if send == "reset":
            comptes.request_password_reset(user.email)
        else:
            comptes.send_confirmation(user)
    stored = OutgoingEmail.objects.get(to=user.email)
    assert not LINK.search(stored.body)  # waiting for the worker: sealed
    for callback in callbacks:
        callback()
    sent = mail.outbox[-1].body
    assert LINK.search(sent), sent  # the person receives the link
    stored.refresh_from_db()
    assert not LINK.search(stored.body) and "effacé" in stored.body  # and the table no longer holds it
    assert LINK.search(sent).group(0) not in stored.body
