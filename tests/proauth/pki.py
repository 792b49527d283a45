"""A test PKI shaped like IGC-Santé: root, "AC IGC-SANTE" intermediate, CPx client certificates, CRLs."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC)
RPPS = "19900000001"
FINESS = "690000000"


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _name(*rdns) -> x509.Name:
    return x509.Name([x509.RelativeDistinguishedName(attrs) for attrs in rdns])


def _attr(oid, value):
    return x509.NameAttribute(oid, value)


def _ca(subject: x509.Name, key, issuer=None, issuer_key=None, path_length=None):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=365))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    return builder.sign(issuer_key or key, hashes.SHA256())


def card_subject(cn: str, surname: str = "MARTIN", given: str = "MARIE") -> x509.Name:
    """CPx subject: C, O, OU then the multi-valued RDN SN + CN + GN."""
    return _name(
        [_attr(NameOID.COUNTRY_NAME, "FR")],
        [_attr(NameOID.ORGANIZATION_NAME, "CABINET DU DR MARTIN")],
        [_attr(NameOID.ORGANIZATIONAL_UNIT_NAME, "Médecin")],
        [_attr(NameOID.SURNAME, surname), _attr(NameOID.COMMON_NAME, cn), _attr(NameOID.GIVEN_NAME, given)],
    )


def _leaf(subject, issuer, issuer_key, *, days_before=30, days_after=365, server_ip=None):
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=days_before))
        .not_valid_after(NOW + dt.timedelta(days=days_after))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server_ip else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if server_ip:
        san = [x509.IPAddress(ipaddress.ip_address(server_ip)), x509.DNSName("localhost")]
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(issuer_key, hashes.SHA256()), key


def _crl(issuer, issuer_key, revoked=()) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(NOW - dt.timedelta(hours=1))
        .next_update(NOW + dt.timedelta(days=7))
    )
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(NOW - dt.timedelta(minutes=5))
            .build()
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(obj) -> bytes:
    return obj.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass
class CardPki:
    directory: Path
    chain: Path = field(init=False)  # root + AC: nginx's ssl_client_certificate and CARD_TRUST_BUNDLE
    crl: Path = field(init=False)
    server_ca: Path = field(init=False)
    server_cert: Path = field(init=False)
    server_key: Path = field(init=False)
    clients: dict = field(default_factory=dict)  # name -> (cert path, key path)
    certs: dict = field(default_factory=dict)  # name -> x509.Certificate

    def __post_init__(self):
        d = self.directory
        root_key, ac_key = _key(), _key()
        root = _ca(_name([_attr(NameOID.COMMON_NAME, "TEST AC RACINE IGC-SANTE")]), root_key)
        ac_name = _name(
            [_attr(NameOID.COUNTRY_NAME, "FR")],
            [_attr(NameOID.ORGANIZATION_NAME, "TEST ASIP-SANTE")],
            [_attr(NameOID.COMMON_NAME, "TEST AC IGC-SANTE ELEMENTAIRE PERSONNES")],
        )
        ac = _ca(ac_name, ac_key, root, root_key, path_length=0)
        rogue_key = _key()
        rogue = _ca(_name([_attr(NameOID.COMMON_NAME, "AC IGC-SANTE CONTREFAITE")]), rogue_key)
        cards = {
            "cps": (card_subject("8" + RPPS), ac, ac_key, {}),
            "cpe": (card_subject(f"3{FINESS}/CPE0042", "DURAND", "SOPHIE"), ac, ac_key, {}),
            "expired": (card_subject("8" + RPPS), ac, ac_key, {"days_before": 400, "days_after": -2}),
            "revoked": (card_subject("8" + RPPS), ac, ac_key, {}),
            "untrusted": (card_subject("8" + RPPS), rogue, rogue_key, {}),
            "not_professional": (card_subject("jean.dupont@exemple.fr"), ac, ac_key, {}),
        }
        for name, (subject, issuer, issuer_key, options) in cards.items():
            cert, key = _leaf(subject, issuer, issuer_key, **options)
            self.certs[name] = cert
            (d / f"{name}.crt").write_bytes(_pem(cert))
            (d / f"{name}.key").write_bytes(_key_pem(key))
            self.clients[name] = (d / f"{name}.crt", d / f"{name}.key")
        self.chain = d / "igc-sante-chain.pem"
        self.chain.write_bytes(_pem(ac) + _pem(root))
        self.crl = d / "igc-sante-crl.pem"
        self.crl.write_bytes(_pem(_crl(ac, ac_key, [self.certs["revoked"]])) + _pem(_crl(root, root_key)))
        tls_key = _key()
        tls_ca = _ca(_name([_attr(NameOID.COMMON_NAME, "TEST TLS SERVEUR")]), tls_key)
        server, server_key = _leaf(
            _name([_attr(NameOID.COMMON_NAME, "carte.trajectoire.test")]), tls_ca, tls_key, server_ip="127.0.0.1"
        )
        self.server_ca, self.server_cert, self.server_key = d / "tls-ca.pem", d / "carte.crt", d / "carte.key"
        self.server_ca.write_bytes(_pem(tls_ca))
        self.server_cert.write_bytes(_pem(server))
        self.server_key.write_bytes(_key_pem(server_key))

    def pem(self, name: str) -> str:
        return _pem(self.certs[name]).decode()
