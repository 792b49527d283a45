"""A hospital DPI and an EHPAD's software running the whole referral loop through Trajectoire's FHIR API.

    # against `make run`, from the checkout: registers both programs with manage.py api_client, then runs
    uv run python examples/dpi_client.py --register --prescriber <RPPS> --structure <FINESS>
    # or with programs registered before (each file: the JSON the command printed)
    uv run python examples/dpi_client.py --base https://… --dpi dpi.json --ehpad ehpad.json [--units 12,34]

Steps: tokens (client_secret_basic) → Questionnaires → transaction Bundle (Patient, ServiceRequest, one
QuestionnaireResponse per section, one Task per unit) → the DPI subscribes (rest-hook on a local port) → the
EHPAD lists its worklist and accepts with JSON Patch + If-Match → the DPI is notified and confirms the
admission → the other Tasks are closed. Only httpx and the standard library: copy it into your own software.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import queue
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

CS = "https://trajectoire.sante.fr/fhir/CodeSystem"
FHIR = "application/fhir+json"
FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


class Fhir:
    def __init__(self, base: str, credentials: dict):
        self.base = base.rstrip("/") + "/fhir/"
        basic = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode()).decode()
        token = httpx.post(
            self.base + "auth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        token.raise_for_status()
        self.http = httpx.Client(
            base_url=self.base, headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )

    def call(self, method: str, path: str, body=None, content_type=FHIR, **headers):
        kwargs = {"content": json.dumps(body), "headers": {"Content-Type": content_type, **headers}} if body else {}
        response = self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise SystemExit(f"{method} {path} → {response.status_code} : {response.text}")
        return response


def statut(code: str) -> dict:
    return {"coding": [{"system": f"{CS}/statut-demande", "code": code}]}


def sample_answers(questionnaire: dict) -> list[dict]:
    """What a DPI would map from its own record; here every item gets a plausible value."""
    items = []
    for item in questionnaire["item"]:
        options = [o["valueCoding"] for o in item.get("answerOption", [])]
        if item["type"] == "choice":
            answer = [{"valueCoding": {"code": options[0]["code"]}}]
        elif item["type"] == "date":
            answer = [{"valueDate": FUTURE}]
        elif item["type"] == "boolean":
            answer = [{"valueBoolean": False}]
        elif item["type"] in ("integer", "decimal"):
            answer = [{"valueString": "60"}]
        else:
            answer = [{"valueString": "Non renseigné" if "telephone" not in item["linkId"] else "04 72 00 00 00"}]
        if item.get("required") or item["type"] != "choice":
            items.append({"linkId": item["linkId"], "answer": answer})
    return items


def referral(questionnaires: list[dict], units: list[str]) -> dict:
    def coding(system, code):
        return {"coding": [{"system": f"{CS}/{system}", "code": code}]}

    patient = {
        "resourceType": "Patient",
        "name": [{"use": "official", "family": "Exemple", "given": ["Jeanne"]}],
        "gender": "female",
        "birthDate": "1936-02-03",
    }
    request = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "urn:uuid:patient"},
        "category": [coding("domaine", "grand_age")],
        "code": coding("type-prise-en-charge", "ehpad"),
        "orderDetail": [coding("type-sejour", "permanent")],
    }
    entries = [
        {"fullUrl": "urn:uuid:patient", "resource": patient,
         "request": {"method": "POST", "url": "Patient", "ifNoneExist": "family=Exemple&birthdate=1936-02-03"}},
        {"fullUrl": "urn:uuid:sr", "resource": request, "request": {"method": "POST", "url": "ServiceRequest"}},
    ]  # fmt: skip
    for q in questionnaires:
        response = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": q["url"],
            "status": "completed",
            "basedOn": [{"reference": "urn:uuid:sr"}],
            "item": sample_answers(q),
        }
        entries.append({"resource": response, "request": {"method": "POST", "url": "QuestionnaireResponse"}})
    for unit in units:
        task = {"resourceType": "Task", "status": "requested", "intent": "order", "focus": {"reference": "urn:uuid:sr"},
                "owner": {"reference": f"HealthcareService/{unit}"}}  # fmt: skip
        entries.append({"resource": task, "request": {"method": "POST", "url": "Task"}})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def hook_server(inbox: queue.Queue) -> ThreadingHTTPServer:
    class Hook(BaseHTTPRequestHandler):
        def do_PUT(self):
            inbox.put(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def accept_first(ehpad: Fhir, unit: str) -> None:
    """The EHPAD's software: its worklist, then an acceptance of the first new Task (JSON Patch + If-Match)."""
    worklist = ehpad.call("GET", f"Task?owner=HealthcareService/{unit}&status=requested&_include=Task:focus")
    task = next(e["resource"] for e in worklist.json()["entry"] if e["search"]["mode"] == "match")
    version = ehpad.call("GET", f"Task/{task['id']}").headers["ETag"]
    admission = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    output = {"type": {"coding": [{"system": f"{CS}/sortie-demande", "code": "date-admission-proposee"}]},
              "valueDate": admission}  # fmt: skip
    patch = [
        {"op": "replace", "path": "/status", "value": "accepted"},
        {"op": "replace", "path": "/businessStatus", "value": statut("acceptee")},
        {"op": "add", "path": "/output", "value": [output]},
    ]
    ehpad.call(
        "PATCH", f"Task/{task['id']}", patch, content_type="application/json-patch+json", **{"If-Match": version}
    )
    print(f"4. L’EHPAD accepte la Task/{task['id']} (admission proposée le {admission}).")


def run(base: str, dpi_credentials: dict, ehpad_credentials: dict, units: list[str], wait: float = 60) -> dict:
    dpi, ehpad = Fhir(base, dpi_credentials), Fhir(base, ehpad_credentials)
    print("1. Jetons obtenus pour le DPI et pour le logiciel de l’EHPAD.")
    found = dpi.call("GET", "Questionnaire").json()["entry"]
    questionnaires = [e["resource"] for e in found if e["resource"]["id"].startswith("grand-age-")]
    created = dpi.call("POST", "", referral(questionnaires, units)).json()
    tasks = [e["response"]["location"] for e in created["entry"] if e["response"]["location"].startswith("Task/")]
    print(f"2. Demande envoyée en une transaction : {', '.join(tasks)}.")
    inbox: queue.Queue = queue.Queue()
    server = hook_server(inbox)
    subscription = {"resourceType": "Subscription", "status": "requested", "reason": "Réponses des structures",
                    "criteria": "Task?status=accepted",
                    "channel": {"type": "rest-hook", "endpoint": f"http://127.0.0.1:{server.server_port}/fhir",
                                "payload": FHIR}}  # fmt: skip
    dpi.call("POST", "Subscription", subscription)
    print("3. Le DPI est abonné aux acceptations.")
    accept_first(ehpad, units[0])
    notified = inbox.get(timeout=wait)
    server.shutdown()
    print(f"5. Le DPI est notifié : Task/{notified['id']} {notified['status']}.")
    confirm = {
        "resourceType": "Task",
        "id": notified["id"],
        "status": "ready",
        "businessStatus": statut("admission_confirmee"),
    }
    dpi.call("PUT", f"Task/{notified['id']}", confirm)
    final = {t: dpi.call("GET", t).json() for t in tasks}
    summary = {t: r["businessStatus"]["coding"][0]["code"] for t, r in final.items()}
    print(f"6. Admission confirmée ; statuts : {summary}.")
    return summary


def register(name: str, option: str, value: str, env: dict | None = None) -> dict:
    """Registration is the administrator's (or the référent's page): here the local checkout's command."""
    root = Path(__file__).resolve().parent.parent
    env = env or {"DJANGO_SETTINGS_MODULE": "config.settings.dev", **os.environ}
    command = [sys.executable, "manage.py", "api_client", "create", "--name", name, option, value]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout)


def pick_units(ehpad: Fhir, finess: str) -> list[str]:
    """The EHPAD's first unit, then a unit of another EHPAD (the Task that will close)."""
    finess_system = "urn:oid:1.2.250.1.71.4.2.2"
    organization = ehpad.call("GET", f"Organization?identifier={finess_system}|{finess}").json()["entry"][0]
    own = ehpad.call("GET", f"HealthcareService?organization=Organization/{organization['resource']['id']}")
    others = ehpad.call("GET", "HealthcareService?service-type=ehpad&_count=5").json()["entry"]
    mine = own.json()["entry"][0]["resource"]["id"]
    return [mine, next(e["resource"]["id"] for e in others if e["resource"]["id"] != mine)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://localhost:8000")
    parser.add_argument("--dpi", help="JSON {client_id, client_secret} of the prescriber's client")
    parser.add_argument("--ehpad", help="JSON {client_id, client_secret} of the structure's client")
    parser.add_argument("--register", action="store_true", help="register both clients with manage.py first")
    parser.add_argument("--prescriber", help="RPPS of the prescriber (with --register)")
    parser.add_argument("--structure", help="FINESS of the EHPAD (with --register; picks the units)")
    parser.add_argument("--units", help="HealthcareService ids, comma-separated (first: the EHPAD's)")
    args = parser.parse_args()
    if args.register:
        credentials = [register("DPI (exemple)", "--prescriber", args.prescriber),
                       register("Logiciel EHPAD (exemple)", "--structure", args.structure)]  # fmt: skip
    else:
        credentials = [json.loads(Path(p).read_text()) for p in (args.dpi, args.ehpad)]
    units = args.units.split(",") if args.units else pick_units(Fhir(args.base, credentials[1]), args.structure)
    summary = run(args.base, *credentials, units)
    sys.exit(0 if list(summary.values()).count("admission_confirmee") == 1 else 1)


if __name__ == "__main__":
    main()
