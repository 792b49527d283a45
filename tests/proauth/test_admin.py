import pytest

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["otpchallenge", "usersession", "knowndevice"])
def test_security_records_are_listed_read_only_in_the_admin(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/administration/proauth/{model}/").status_code == 200
    assert client.get(f"/administration/proauth/{model}/add/").status_code == 403
