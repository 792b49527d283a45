"""`make run`'s demo writes its stories before the accounts take e-mails: no e-mail per past event in the terminal."""

import pytest

from tests.factories.accounts import UserFactory
from trajectoire.core.demo_registry import DEMO_MODULES, DemoAccount, DemoContext
from trajectoire.notifications import demo

pytestmark = pytest.mark.django_db


def test_demo_accounts_take_e_mails_only_after_the_stories():
    assert DEMO_MODULES[-1] == "trajectoire.notifications.demo"
    account = UserFactory(username="19900000001", notify_by_email=False)
    other = UserFactory(notify_by_email=False)  # not a demo account: left as it is
    ctx = DemoContext(stdout=None, accounts=[DemoAccount("Médecin", "Dr Marie Martin", "19900000001", "x")])
    demo.load(ctx)
    account.refresh_from_db()
    other.refresh_from_db()
    assert account.notify_by_email and not other.notify_by_email
