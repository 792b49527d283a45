"""Professionals' e-mails through an MSSanté relay: a real SMTP server (aiosmtpd) with STARTTLS that demands a
client certificate (the card tests' PKI), and the ordinary e-mail for everyone else."""

import smtplib
import ssl

import pytest
from aiosmtpd.controller import Controller

from tests.factories.accounts import UserFactory
from tests.proauth.pki import CardPki
from tests.support.smtp import Mailbox, free_port
from trajectoire.accounts import mssante
from trajectoire.directory.models import Professionnel
from trajectoire.notifications.models import OutgoingEmail
from trajectoire.notifications.services import notify

pytestmark = pytest.mark.django_db


class RelayServer:
    """STARTTLS required, client certificate required and checked against the IGC-Santé test chain."""

    def __init__(self, pki: CardPki):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(pki.server_cert, pki.server_key)
        context.load_verify_locations(pki.chain)
        context.verify_mode = ssl.CERT_REQUIRED
        self.mailbox, self.port = Mailbox(), free_port()
        self.peers: list = []
        mailbox, peers = self.mailbox, self.peers

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                peers.append(session.ssl and session.ssl.get("peercert"))
                return await mailbox.handle_DATA(server, session, envelope)

        self.controller = Controller(
            Handler(), hostname="127.0.0.1", port=self.port, tls_context=context, require_starttls=True
        )

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return CardPki(tmp_path_factory.mktemp("pki-mssante"))


@pytest.fixture
def relay(pki, settings):
    with RelayServer(pki) as server:
        cert, key = pki.clients["cpe"]
        settings.MSSANTE_HOST, settings.MSSANTE_PORT = "127.0.0.1", server.port
        settings.MSSANTE_CERT, settings.MSSANTE_KEY, settings.MSSANTE_CA = str(cert), str(key), str(pki.server_ca)
        settings.MSSANTE_FROM = "trajectoire@plateforme.mssante.fr"
        yield server


def doctor(mssante_address=""):
    user = UserFactory(notify_by_email=True, email="dr@cabinet.test")
    Professionnel.objects.create(
        id_type="8", identifiant=user.rpps, identification_nationale="8" + user.rpps, nom=user.last_name,
        search_name="x", profession_code="10", mssante=mssante_address,
    )  # fmt: skip
    return user


def test_a_notification_goes_to_the_mssante_address_through_the_relay(
    relay, smtp_server, django_capture_on_commit_callbacks
):
    user = doctor("dr.martin@medecin.mssante.fr")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], title="Nouvelle demande reçue", url="/demandes/1/")
    message = relay.mailbox.wait_for("dr.martin@medecin.mssante.fr")[0]
    assert message["From"] == "trajectoire@plateforme.mssante.fr" and "Nouvelle demande" in message["Subject"]
    assert relay.peers[0] is not None  # the relay saw our client certificate
    assert smtp_server.mailbox.to("dr@cabinet.test") == []
    assert OutgoingEmail.objects.get().status == "sent"


def test_without_mssante_address_or_relay_the_ordinary_email_is_used(
    relay, smtp_server, settings, django_capture_on_commit_callbacks
):
    user = doctor()
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], title="Nouvelle demande reçue")
    assert smtp_server.mailbox.wait_for("dr@cabinet.test")
    settings.MSSANTE_HOST = ""
    assert mssante.destination(doctor("x@medecin.mssante.fr"), "ordinaire@test") == ("ordinaire@test", False)


def test_the_relay_refuses_a_client_without_certificate(pki, relay):
    context = ssl.create_default_context(cafile=str(pki.server_ca))  # trusts the relay, presents no certificate
    refused = (ssl.SSLError, smtplib.SMTPException, OSError)
    with pytest.raises(refused), smtplib.SMTP("127.0.0.1", relay.port, timeout=5) as smtp:
        smtp.starttls(context=context)
        smtp.sendmail("a@test", ["b@medecin.mssante.fr"], "Subject: x\n\nx")
    assert relay.mailbox.messages == []


def test_login_code_goes_through_the_relay(relay, client, django_capture_on_commit_callbacks):
    from trajectoire.proauth import services
    from trajectoire.proauth.models import OtpChallenge

    user = doctor("dr.martin@medecin.mssante.fr")
    request = client.get("/").wsgi_request
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.send_new_code(request, user)
    assert OtpChallenge.objects.get(pk=challenge.pk).sent_to == "dr.martin@medecin.mssante.fr"
    message = relay.mailbox.wait_for("dr.martin@medecin.mssante.fr")[0]
    assert "code" in message["Subject"].lower() and relay.peers[0] is not None
