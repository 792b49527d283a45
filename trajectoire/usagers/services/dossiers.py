"""The family's Grand Âge dossier: opening it, aidants, naming the médecin traitant, unconfirmed accounts."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from trajectoire.accounts.enums import Kind, Profession
from trajectoire.accounts.models import User
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.core.prepared import prepared
from trajectoire.core.throttle import Throttle
from trajectoire.directory.enums import Domain
from trajectoire.dossiers import services as dossier_services
from trajectoire.dossiers.enums import PRISES_EN_CHARGE
from trajectoire.dossiers.enums import Statut as DossierStatut
from trajectoire.dossiers.models import Dossier, ensure_visible
from trajectoire.notifications.services import notify, queue_email
from trajectoire.patients.services import create_patient, normalise

from ..models import Aidant, RelanceConfirmation
from .comptes import CompteError, absolute, confirmation_token

_designations = Throttle("designation")

REMINDER_AFTER = timedelta(days=3)
CANCEL_AFTER = timedelta(days=4)


def family_q(user) -> Q | None:
    """The dossiers a usager shares (hook for the dossiers' visibility and the demandes' senders)."""
    if not user.is_authenticated or not user.is_usager:
        return None
    return Q(aidants__user=user)


def _active_usager(user) -> bool:
    return user.is_authenticated and user.is_usager and user.is_active


def dossiers_for(user):
    """The family's own door: Grand Âge dossiers the usager created or shares."""
    if not _active_usager(user):
        return Dossier.objects.none()
    return Dossier.objects.visible_to(user).filter(domain=Domain.GRAND_AGE)


def ensure_family_sees(user, dossier: Dossier) -> None:
    """Raises Dossier.DoesNotExist unless `dossier` (read already) is one of `dossiers_for(user)`."""
    if not _active_usager(user) or dossier.domain != Domain.GRAND_AGE:
        raise Dossier.DoesNotExist("Dossier invisible pour cet usager.")
    if _aidant_of.all(dossier_id=dossier.pk, user_id=user.pk):  # `family_q`'s way, the usual one: enough
        return
    ensure_visible(user, dossier)  # the author, or any other way of `visibility_q`


@prepared
def _aidant_of(*, dossier_id: int, user_id: int):
    return Aidant.objects.filter(dossier_id=dossier_id, user_id=user_id).values_list("pk", flat=True)[:1]


@transaction.atomic
def open_dossier(*, by: User, patient_fields: dict, prise_en_charge: str, type_sejour: str, lien: str, request=None):
    """The person (patient) and their Grand Âge dossier, with the author as référent aidant."""
    if prise_en_charge not in PRISES_EN_CHARGE[Domain.GRAND_AGE]:
        raise CompteError("Choisissez un type d’établissement.")
    if _already_open(by, patient_fields):
        raise CompteError("Vous avez déjà un dossier en cours pour cette personne : reprenez-le depuis votre espace.")
    patient = create_patient(by=by, request=request, **patient_fields)
    dossier = dossier_services.create_dossier(
        patient=patient,
        domain=Domain.GRAND_AGE,
        by=by,
        request=request,
        prise_en_charge=prise_en_charge,
        type_sejour=type_sejour,
    )
    # The author records that they act with the person's agreement (it is asked on the form).
    Aidant.objects.create(
        dossier=dossier, user=by, lien=lien, is_referent=True, consentement_at=timezone.now(), consentement_by=by
    )
    return dossier


def _already_open(user, fields) -> bool:
    live = dossiers_for(user).filter(statut__in=[DossierStatut.BROUILLON, DossierStatut.TRANSMIS])
    live = live.filter(patient__date_naissance=fields["date_naissance"], patient__sexe=fields["sexe"])
    nom = normalise(fields["nom_naissance"])
    return any(normalise(d.patient.nom_naissance) == nom for d in live.select_related("patient"))


def find_medecins(nom: str = "", commune: str = "", limit: int = 20) -> list[User]:
    """Doctors registered on the platform, by name and/or commune of practice (at least 2 characters)."""
    nom, commune = (nom or "").strip(), (commune or "").strip()
    if len(nom) < 2 and len(commune) < 2:
        return []
    qs = User.objects.filter(kind=Kind.PROFESSIONNEL, profession=Profession.MEDECIN, is_active=True)
    if len(nom) >= 2:
        qs = qs.filter(Q(last_name__icontains=nom) | Q(first_name__icontains=nom))
    if len(commune) >= 2:
        qs = qs.filter(exercice_commune__icontains=commune)
    return list(
        qs.order_by("last_name", "first_name").only(
            "first_name", "last_name", "exercice_commune", "profession", "kind"
        )[:limit]
    )


@transaction.atomic
def designate_medecin(dossier, medecin: User, *, by, request=None) -> None:
    """The family names the médecin traitant, who then sees the dossier and fills the medical part."""
    if not (medecin.is_professionnel and medecin.profession == Profession.MEDECIN and medecin.is_active):
        raise CompteError("Choisissez un médecin dans la liste.")
    if dossier.medecin_id == medecin.pk:
        return  # already named: nobody is told twice
    check_designation_allowed(by)
    _attach(dossier, medecin, by=by, request=request, how="designation")


def check_designation_allowed(by) -> None:
    """Each designation notifies a doctor (and may create a pre-account and mail an invitation): only from a
    confirmed family address, and at most `DESIGNATION_RATE_MAX_REQUESTS` per account and window (default 5 per
    day), so a family account cannot make the platform mail doctors or create accounts at will."""
    if by.is_usager and by.email_confirmed_at is None:
        raise CompteError("Confirmez d’abord votre adresse électronique (lien reçu par courriel).")
    if not _designations.rate_allowed(f"user:{by.pk}"):
        raise CompteError(
            "Trop de désignations de médecin aujourd’hui : réessayez demain, ou remettez la feuille "
            "« Préparer la feuille pour mon médecin » à votre médecin."
        )


def _attach(dossier, medecin, *, by, request, how: str) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(medecin=medecin, updated_at=timezone.now())
    dossier.medecin = medecin
    if dossier.patient.medecin_traitant_id is None:
        type(dossier.patient).objects.filter(pk=dossier.patient_id).update(medecin_traitant=medecin)
    record(Action.UPDATE, request=request, actor=by, obj=dossier, medecin=medecin.pk, how=how)
    if how == "designation":
        notify(
            [medecin],
            title=f"Une famille vous a désigné comme médecin traitant (dossier {dossier.numero})",
            body="Complétez la partie médicale et la grille AGGIR du dossier Grand Âge.",
            url=reverse("dossiers:detail", args=[dossier.pk]),
        )


def issue_paper_code(dossier, *, by, request=None) -> str:
    code = dossier_services.issue_access_code(dossier)
    record(Action.EXPORT, request=request, actor=by, obj=dossier, paper_code=True)
    return code


@transaction.atomic
def attach_by_code(*, medecin: User, numero: str, code: str, request=None):
    """The doctor types the number and code from the family's paper: they become the dossier's doctor."""
    dossier = (
        Dossier.objects.select_for_update()
        .filter(numero=(numero or "").strip().upper(), domain=Domain.GRAND_AGE)
        .exclude(statut__in=[DossierStatut.ANNULE, DossierStatut.ARCHIVE])
        .first()
    )
    if dossier is None or not dossier_services.check_access_code(dossier, code):
        record(Action.ACCESS_DENIED, request=request, actor=medecin, object_type="dossiers.dossier", reason="code")
        raise CompteError("Numéro de dossier ou code d’accès incorrect.")
    Dossier.objects.filter(pk=dossier.pk).update(access_code_hash="")  # single use
    _attach(dossier, medecin, by=medecin, request=request, how="code")
    notify(
        [a.user for a in dossier.aidants.select_related("user")],
        title=f"Votre médecin a rattaché le dossier {dossier.numero}",
        body="Il peut maintenant compléter la partie médicale.",
        url=reverse("usagers:dossier", args=[dossier.pk]),
    )
    return dossier


def relancer_et_annuler_non_confirmes(now=None) -> tuple[int, int]:
    """Unconfirmed accounts: a reminder after 3 days, their draft dossiers cancelled after 4. Idempotent."""
    now = now or timezone.now()
    unconfirmed = User.objects.filter(kind=Kind.USAGER, email_confirmed_at__isnull=True, is_active=True)
    reminded = 0
    due = unconfirmed.filter(date_joined__lte=now - REMINDER_AFTER, date_joined__gt=now - CANCEL_AFTER)
    due = due.exclude(pk__in=RelanceConfirmation.objects.values("user_id"))
    for user in due[:500]:
        _, created = RelanceConfirmation.objects.get_or_create(user=user, defaults={"sent_at": now})
        if created:
            url = absolute(reverse("usagers:confirmer", args=[confirmation_token(user)]))
            body = render_to_string("usagers/emails/relance_confirmation.txt", {"user": user, "url": url})
            subject = "[Trajectoire] Confirmez votre adresse : votre dossier sera annulé demain"
            queue_email(user.email, subject, body, one_time=True)
            reminded += 1
    cancelled = 0
    late = unconfirmed.filter(date_joined__lte=now - CANCEL_AFTER, dossiers_crees__statut=DossierStatut.BROUILLON)
    for user in late.distinct()[:500]:
        for dossier in Dossier.objects.filter(created_by=user, statut=DossierStatut.BROUILLON):
            if Dossier.objects.filter(pk=dossier.pk, statut=DossierStatut.BROUILLON).update(
                statut=DossierStatut.ANNULE
            ):
                record(
                    Action.TRANSITION, actor=None, obj=dossier, statut=DossierStatut.ANNULE, reason="email_unconfirmed"
                )
                body = render_to_string("usagers/emails/annulation.txt", {"user": user, "dossier": dossier})
                queue_email(user.email, f"[Trajectoire] Dossier {dossier.numero} annulé", body)
                cancelled += 1
    return reminded, cancelled


def family_members(dossier) -> list:
    """Every aidant of the dossier hears about the structures' answers (demandes' sender recipients)."""
    return [aidant.user for aidant in dossier.aidants.select_related("user")]


def family_dossier_url(user, dossier) -> str | None:
    """A usager follows the dossier on the family space, never on the professionals' pages."""
    if not user.is_usager:
        return None
    return reverse("usagers:dossier", args=[dossier.pk])
