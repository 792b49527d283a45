"""`manage.py api_client create --name … (--structure FINESS | --prescriber RPPS) [--jwks FILE]`
prints {"client_id", "client_secret"} as JSON (the secret is shown once); `list` prints JSON lines;
`revoke CLIENT_ID` revokes at once."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trajectoire.accounts.models import User
from trajectoire.api.clients import ClientError, create_client, revoke_client
from trajectoire.api.models import ApiClient
from trajectoire.directory.models import Structure


class Command(BaseCommand):
    help = "Enregistre, liste ou révoque les clients de l’API FHIR."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Enregistrer un logiciel client")
        create.add_argument("--name", required=True)
        bound = create.add_mutually_exclusive_group(required=True)
        bound.add_argument("--structure", help="n° FINESS de l’établissement")
        bound.add_argument("--prescriber", help="n° RPPS du prescripteur")
        create.add_argument("--jwks", help="fichier JWKS des clés publiques (private_key_jwt)")
        sub.add_parser("list", help="Lister les clients")
        revoke = sub.add_parser("revoke", help="Révoquer un client")
        revoke.add_argument("client_id")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, name, structure, prescriber, jwks, **_):
        bound = {}
        if structure:
            bound["structure"] = Structure.objects.filter(finess=structure.strip()).first()
            if bound["structure"] is None:
                raise CommandError(f"Aucun établissement de n° FINESS {structure}.")
        else:
            bound["prescriber"] = User.objects.filter(rpps=prescriber.strip()).first()
            if bound["prescriber"] is None:
                raise CommandError(f"Aucun professionnel de n° RPPS {prescriber}.")
        try:
            keys = json.loads(Path(jwks).read_text(encoding="utf-8")) if jwks else None
            client, secret = create_client(name, jwks=keys, **bound)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc) if isinstance(exc, ClientError) else f"JWKS illisible : {exc}") from None
        self.stdout.write(json.dumps({"client_id": client.client_id, "client_secret": secret}))

    def _list(self, **_):
        for client in ApiClient.objects.select_related("structure", "user").order_by("pk"):
            bound = client.structure.finess if client.structure_id else client.user.rpps
            line = {"client_id": client.client_id, "name": client.name, "kind": client.kind, "bound_to": bound}
            line["active"] = client.is_active
            self.stdout.write(json.dumps(line, ensure_ascii=False))

    def _revoke(self, *, client_id, **_):
        client = ApiClient.objects.filter(client_id=client_id).first()
        if client is None:
            raise CommandError(f"Client inconnu : {client_id}.")
        revoke_client(client)
        self.stdout.write(json.dumps({"client_id": client_id, "revoked": True}))
