"""Generated patients, dossiers with their section rows, demandes with timelines consistent with their status.

Consistency kept by construction (the database constraints check it anyway): one admission at most per
dossier, distinct units inside a dossier (so never two live demandes per unit), a timeline per demande
that replays the transitions of `demandes.workflow` up to its status, the dossier status following its
demandes (draft without demandes, cancelled when all were cancelled, archived after inactivity).
"""

from __future__ import annotations

import datetime as dt
import random

from trajectoire.demandes.enums import MotifAnnulation, MotifCloture, MotifRefus, motifs_refus_for
from trajectoire.demandes.enums import Statut as S
from trajectoire.demandes.models import Demande, DemandeEvent
from trajectoire.demandes.workflow import TRANSITIONS
from trajectoire.directory.enums import Domain, MentionSMR
from trajectoire.directory.enums import StructureType as T
from trajectoire.dossiers.enums import NUMERO_PREFIX, TrancheTND, TypeSejour
from trajectoire.dossiers.enums import Statut as DS
from trajectoire.dossiers.models import Dossier, Section
from trajectoire.dossiers.sections import REGISTRY
from trajectoire.patients.enums import LienContact
from trajectoire.patients.models import Contact, Patient

from .people import NOMS, PRENOMS_F, PRENOMS_M, Directory
from .tables import Table, next_id, ts

PATHS = {
    S.ENVOYEE: [],
    S.LUE: ["lire"],
    S.COMPLEMENT_DEMANDE: ["lire", "demander_complement"],
    S.COMPLETEE: ["lire", "demander_complement", "completer"],
    S.ACCEPTEE: ["lire", "accepter"],
    S.LISTE_ATTENTE: ["lire", "mettre_en_attente"],
    S.REFUSEE: ["lire", "refuser"],
    S.ADMISSION_CONFIRMEE: ["lire", "accepter", "confirmer_admission"],
    S.ADMIS: ["lire", "accepter", "confirmer_admission", "enregistrer_admission"],
    S.ANNULEE: ["annuler"],
    S.CLOTUREE: ["lire", "cloturer"],
}
SENDER_ACTIONS = {"completer", "confirmer_admission", "annuler"}
OPEN_MIX = ([S.ENVOYEE] * 16 + [S.LUE] * 22 + [S.COMPLEMENT_DEMANDE] * 4 + [S.COMPLETEE] * 3 + [S.ACCEPTEE] * 6
            + [S.LISTE_ATTENTE] * 22 + [S.REFUSEE] * 24 + [S.ANNULEE] * 3)  # fmt: skip
PRISES = {
    Domain.GRAND_AGE: [T.EHPAD] * 90 + [T.USLD] * 6 + [T.RESIDENCE_AUTONOMIE] * 4,
    Domain.SANITAIRE: [T.SMR] * 85 + [T.HAD] * 10 + [T.USP] * 5,
    Domain.TND: [T.PCO],
}
MENTIONS = [MentionSMR.POLYVALENT, MentionSMR.GERIATRIE, MentionSMR.LOCOMOTEUR, MentionSMR.SYSTEME_NERVEUX]
DEMANDES_PER_DOSSIER = ([1, 2, 3, 4, 5, 6, 7], [12, 17, 20, 18, 14, 10, 9])  # mean 3.7, ≈ 3.3 once capped
DAY = dt.timedelta(days=1)


class DossierGenerator:
    def __init__(self, rng: random.Random, directory: Directory, doctors: list, now: dt.datetime):
        self.rng, self.directory, self.doctors, self.now = rng, directory, doctors, now
        self.patients = Table(
            Patient,
            [
                "id",
                "nom_naissance",
                "prenoms",
                "date_naissance",
                "sexe",
                "lieu_naissance_insee",
                "commune_id",
                "medecin_traitant_id",
                "created_by_id",
                "created_at",
                "updated_at",
                "adresse",
            ],
        )
        self.contacts = Table(Contact, ["patient_id", "nom", "prenom", "lien", "est_referent", "telephone"])
        self.dossiers = Table(
            Dossier,
            [
                "id",
                "numero",
                "patient_id",
                "domain",
                "prise_en_charge",
                "type_sejour",
                "mention_smr",
                "tranche_tnd",
                "statut",
                "created_by_id",
                "medecin_id",
                "created_at",
                "updated_at",
            ],
        )
        section_columns = ["dossier_id", "key", "data", "is_valid", "is_medical", "updated_at", "updated_by_id"]
        self.sections = Table(Section, [*section_columns, "validated_at"])
        self.demandes = Table(
            Demande,
            [
                "id",
                "dossier_id",
                "unite_id",
                "structure_id",
                "domain",
                "urgente",
                "sent_by_id",
                "statut",
                "sent_at",
                "read_at",
                "answered_at",
                "status_changed_at",
                "date_admission_proposee",
                "date_entree",
                "motif_refus",
                "motif_annulation",
                "motif_cloture",
            ],
        )
        self.events = Table(
            DemandeEvent,
            [
                "demande_id",
                "dossier_id",
                "at",
                "actor_id",
                "action",
                "label",
                "from_statut",
                "to_statut",
                "motif",
                "date",
            ],
        )
        self.next_patient, self.next_dossier, self.next_demande = (next_id(m) for m in (Patient, Dossier, Demande))
        self.status_counts: dict[str, int] = {}

    def tables(self) -> list[Table]:
        return [self.patients, self.contacts, self.dossiers, self.sections, self.demandes, self.events]

    def flush(self) -> None:
        for table in self.tables():
            table.flush()

    # Patients ------------------------------------------------------------------------------------------

    def patient(self) -> None:
        rng = self.rng
        doctor_id, commune_id, departement = rng.choice(self.doctors)
        child = rng.random() < 0.05
        age = rng.randint(1, 12) if child else int(min(104, max(40, rng.gauss(82, 9))))
        female = rng.random() < (0.5 if child else 0.62)
        born = (self.now - dt.timedelta(days=age * 365 + rng.randint(0, 364))).date()
        pid = self.next_patient
        self.next_patient += 1
        nom = rng.choice(NOMS)
        prenoms = " ".join(rng.sample(PRENOMS_F if female else PRENOMS_M, rng.randint(1, 3)))
        created = self.now - dt.timedelta(days=rng.randint(1, 900))
        birthplace = f"{rng.randint(10, 95)}{rng.randint(1, 300):03d}"
        self.patients.add(
            pid, nom, prenoms, born.isoformat(), "F" if female else "M", birthplace,
            commune_id, doctor_id, doctor_id, ts(created), ts(created), f"{rng.randint(1, 120)} rue des Lilas",
        )  # fmt: skip
        if rng.random() < 0.6:
            lien = LienContact.PARENT if child else rng.choice([LienContact.ENFANT, LienContact.CONJOINT])
            phone = f"06{rng.randint(0, 99999999):08d}"
            self.contacts.add(pid, rng.choice(NOMS), rng.choice(PRENOMS_F), lien, True, phone)
        domains = (
            [Domain.TND] if child else [Domain.GRAND_AGE if age >= 70 and rng.random() < 0.7 else Domain.SANITAIRE]
        )
        if rng.random() < 0.5:
            domains.append(domains[0] if child else rng.choice([Domain.GRAND_AGE, Domain.SANITAIRE]))
        for domain in domains:
            self.dossier(pid, doctor_id, departement, domain, age, created)

    # Dossiers ------------------------------------------------------------------------------------------

    def dossier(self, patient_id, doctor_id, departement, domain, age, not_before) -> None:
        rng = self.rng
        did = self.next_dossier
        self.next_dossier += 1
        prise = rng.choice(PRISES[domain])
        created = max(not_before, self.now - dt.timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 1440)))
        units = self.directory.candidates(prise, departement)
        draft = rng.random() < 0.2 or not units
        statuts = [] if draft else self.plan(rng, created, min(len(units), rng.choices(*DEMANDES_PER_DOSSIER)[0]))
        statut = DS.BROUILLON if draft else DS.TRANSMIS
        if statuts and all(s == S.ANNULEE for s in statuts):
            statut = DS.ANNULE
        elif statuts and all(s in (S.CLOTUREE, S.REFUSEE) for s in statuts) and S.CLOTUREE in statuts:
            statut = DS.ARCHIVE
        sent_at = min(created + dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 9)), self.now)
        last = self.demandes_of(did, doctor_id, domain, units, statuts, sent_at) if statuts else created
        numero = f"{NUMERO_PREFIX[domain]}-{created:%Y}-{did:06d}"
        self.dossiers.add(
            did, numero, patient_id, domain, prise,
            (TypeSejour.TEMPORAIRE if rng.random() < 0.15 else TypeSejour.PERMANENT)
            if domain == Domain.GRAND_AGE else "",
            rng.choice(MENTIONS) if prise == T.SMR else "",
            (TrancheTND.PCO_0_6 if age <= 6 else TrancheTND.PCO_7_12) if domain == Domain.TND else "",
            statut, doctor_id, doctor_id, ts(created), ts(max(last, created)),
        )  # fmt: skip
        self.section_rows(did, domain, doctor_id, created, complete=not draft)

    def section_rows(self, dossier_id, domain, doctor_id, at, complete: bool) -> None:
        definitions = REGISTRY[domain]
        count = len(definitions) if complete else self.rng.randint(0, len(definitions))
        for definition in definitions[:count]:
            valid = complete or self.rng.random() < 0.5
            data = '{"urgence": "normale"}' if definition.key == "planification" else "{}"
            stamp = ts(at)
            self.sections.add(
                dossier_id,
                definition.key,
                data,
                valid,
                definition.is_medical,
                stamp,
                doctor_id,
                stamp if valid else None,
            )

    def plan(self, rng: random.Random, created: dt.datetime, count: int) -> list[str]:
        """The statuses of a dossier's demandes; old dossiers are settled, recent ones mostly open."""
        recent = (self.now - created).days < 240
        roll = rng.random()
        closing = [rng.choice([S.CLOTUREE, S.REFUSEE]) for _ in range(count - 1)]
        if recent:
            if roll < 0.08:
                return [S.ADMISSION_CONFIRMEE, *closing]
            return [rng.choice(OPEN_MIX) for _ in range(count)]
        if roll < 0.5:
            return [S.ADMIS, *closing]
        if roll < 0.7:
            return [rng.choice([S.ANNULEE] * 4 + [S.REFUSEE]) for _ in range(count - 1)] + [S.ANNULEE]
        return [rng.choice([S.CLOTUREE] * 3 + [S.REFUSEE]) for _ in range(count - 1)] + [S.CLOTUREE]

    # Demandes ------------------------------------------------------------------------------------------

    def demandes_of(self, dossier_id, sender_id, domain, units, statuts, sent_at) -> dt.datetime:
        rng = self.rng
        chosen = rng.sample(units, len(statuts))
        last = sent_at
        for (unite_id, structure_id), statut in zip(chosen, statuts, strict=True):
            last = max(last, self.demande(dossier_id, sender_id, domain, unite_id, structure_id, statut, sent_at))
        return last

    def demande(self, dossier_id, sender_id, domain, unite_id, structure_id, statut, sent_at) -> dt.datetime:
        rng, now = self.rng, self.now
        mid = self.next_demande
        self.next_demande += 1
        self.status_counts[statut] = self.status_counts.get(statut, 0) + 1
        staff = self.directory.staff.get(structure_id)
        self.events.add(mid, dossier_id, ts(sent_at), sender_id, "envoyer", "Demande envoyée", "", S.ENVOYEE, "", None)
        at, current = sent_at, S.ENVOYEE
        read_at = answered_at = proposed = entree = None
        motifs = ["", "", ""]
        for name in PATHS[statut]:
            at = min(at + dt.timedelta(hours=rng.randint(2, 240)), now)
            transition = TRANSITIONS[name]
            actor = sender_id if name in SENDER_ACTIONS else (rng.choice(staff) if staff else None)
            motif, date = "", None
            if name == "lire":
                read_at = at
            elif transition.side == "structure" and answered_at is None:
                answered_at = at
            if name == "accepter":
                proposed = date = (at + dt.timedelta(days=rng.randint(3, 30))).date()
            elif name == "enregistrer_admission":
                entree = date = proposed
            elif name == "refuser":
                motifs[0] = rng.choice(motifs_refus_for(domain)).value
                motif = MotifRefus(motifs[0]).label
            elif name == "annuler":
                motifs[1] = rng.choice(MotifAnnulation.values)
                motif = MotifAnnulation(motifs[1]).label
            elif name == "cloturer":
                actor = None
                motifs[2] = rng.choice([MotifCloture.ADMIS_AILLEURS, MotifCloture.DOSSIER_ARCHIVE])
                motif = MotifCloture(motifs[2]).label
            self.events.add(
                mid, dossier_id, ts(at), actor, name, transition.label, current, transition.target, motif, date
            )
            current = transition.target
        urgent = domain == Domain.SANITAIRE and rng.random() < 0.1
        self.demandes.add(
            mid, dossier_id, unite_id, structure_id, domain, urgent, sender_id, statut, ts(sent_at),
            read_at and ts(read_at), answered_at and ts(answered_at), ts(at),
            proposed and proposed.isoformat(), entree and entree.isoformat(), *motifs,
        )  # fmt: skip
        return at
