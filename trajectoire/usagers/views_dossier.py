"""The family's dossier: home, opening a dossier, the administrative part, aidants, the médecin traitant."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from trajectoire.accounts.models import USER_NAME_FIELDS, User
from trajectoire.accounts.permissions import medical_required
from trajectoire.core.parsing import parse_id
from trajectoire.core.prepared import prepared
from trajectoire.core.request_context import client_ip
from trajectoire.demandes.delais import ATTENTE_FIELDS, with_attente
from trajectoire.demandes.models import Demande
from trajectoire.directory.models import Professionnel
from trajectoire.dossiers import services as dossier_services
from trajectoire.dossiers.models import Dossier, Section

from . import throttle
from .forms import AidantForm, MedecinRechercheForm, PersonneForm, RattacherForm
from .models import Aidant
from .permissions import dossier_or_404, famille_required
from .services import aidants as aidants_services
from .services import choix, medecins
from .services import dossiers as services
from .services.comptes import CompteError, absolute

ADMIN_KEY = "administratif"


def aide(request):
    return render(request, "usagers/aide.html", {"title": "Aide aux familles"})


def accueil(request):
    """`/usager/`: the family's space, or how to enter it."""
    if not request.user.is_authenticated or not request.user.is_usager:
        return render(request, "usagers/presentation.html", {"title": "Espace particuliers"})
    dossiers = services.dossiers_for(request.user).select_related("patient").prefetch_related("sections")
    rows = [(d, choix.blocking_reasons(d, request.user)) for d in dossiers]
    return render(request, "usagers/accueil.html", {"title": "Mon espace", "rows": rows})


@famille_required
@require_http_methods(["GET", "POST"])
def nouveau_dossier(request):
    form = PersonneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.open_dossier(
                by=request.user,
                patient_fields=form.patient_fields(),
                prise_en_charge=data["prise_en_charge"],
                type_sejour=data["type_sejour"],
                lien=data["lien"],
                request=request,
            )
        except CompteError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Le dossier {dossier.numero} est ouvert. Complétez maintenant la partie administrative."
            )
            return redirect("usagers:administratif", pk=dossier.pk)
    return render(request, "usagers/nouveau_dossier.html", {"title": "Ouvrir un dossier Grand Âge", "form": form})


# What the family's dossier page shows of each demande (dossier.html, choix.suivi, delais.attente) and of each aidant:
# whole FINESS structures, units and user rows were 60 and 32 columns to build and read.
SUIVI_FIELDS = (
    *("dossier_id", "unite_id", "structure_id", *ATTENTE_FIELDS),
    *("date_admission_proposee", "motif_refus", "motif_annulation", "motif_cloture"),
    *("structure__name", "structure__city", "unite__name"),
)
AIDANT_FIELDS = ("dossier_id", "user_id", "lien", "is_referent", *(f"user__{name}" for name in USER_NAME_FIELDS))


@prepared  # the family page's three fixed queries: their SQL is kept (core.prepared)
def _dossier_page(*, pk: int):
    return (
        Dossier.objects.filter(pk=pk)
        .select_related("patient__commune", "medecin", "alerte_inactivite")  # the inactivity alert: no query of its own
        .prefetch_related(Prefetch("sections", queryset=Section.objects.only("key", "is_valid", "data", "dossier_id")))
    )


@prepared
def _aidants(*, dossier_id: int):
    return Aidant.objects.filter(dossier_id=dossier_id).select_related("user").only(*AIDANT_FIELDS)


@prepared
def _suivi(*, dossier_id: int):
    return Demande.objects.filter(dossier_id=dossier_id).select_related("unite", "structure").only(*SUIVI_FIELDS)


@famille_required
def dossier(request, pk):
    try:
        dossier = _dossier_page.get(pk=pk)
        services.ensure_family_sees(request.user, dossier)  # as services.dossiers_for(user).get(pk=…)
    except Dossier.DoesNotExist:
        raise Http404("Dossier introuvable.") from None
    dossier_services.record_read(request, dossier, medical=False)
    statuses = dossier.sections_status()
    context = {
        "title": f"Dossier {dossier.numero}",
        "dossier": dossier,
        "administratif": next(s for s in statuses if s.key == ADMIN_KEY),
        # Only "complétée / à compléter": the family never sees medical content (SPEC §1).
        "medical_complete": all(s.is_valid for s in statuses if s.definition.is_medical),
        "reasons": choix.blocking_reasons(dossier, request.user),
        "aidants": _aidants.all(dossier_id=dossier.pk, known={"dossier": dossier}),
        "demandes": [
            choix.suivi(d) for d in with_attente(_suivi.queryset(dossier_id=dossier.pk, known={"dossier": dossier}))
        ],
        "alerte": getattr(dossier, "alerte_inactivite", None),
    }
    return render(request, "usagers/dossier.html", context)


@famille_required
@require_http_methods(["GET", "POST"])
def administratif(request, pk):
    """The Grand Âge administrative section, with the dossiers' own form and validation."""
    dossier = dossier_or_404(request.user, pk)
    if request.method == "POST":
        section, form = dossier_services.validate_section(
            dossier, ADMIN_KEY, request.POST, by=request.user, request=request
        )
        if section.is_valid:
            messages.success(request, "La partie administrative est validée.")
            return (
                redirect("usagers:medecin", pk=dossier.pk)
                if dossier.medecin_id is None
                else redirect("usagers:dossier", pk=dossier.pk)
            )
        messages.error(request, "Certaines réponses sont à corriger : voyez les messages sous les champs.")
    else:
        dossier_services.record_read(request, dossier, medical=False)
        form = dossier_services.bound_form(dossier, ADMIN_KEY)
    return render(
        request,
        "usagers/administratif.html",
        {"title": f"Partie administrative — {dossier.numero}", "dossier": dossier, "form": form},
    )


@famille_required
@require_http_methods(["GET", "POST"])
def aidants(request, pk):
    dossier = dossier_or_404(request.user, pk)
    dossier_services.record_read(request, dossier)
    form = AidantForm(request.POST or None)
    if request.method == "POST":
        try:
            _aidant_action(request, dossier, form)
        except CompteError as exc:
            messages.error(request, str(exc))
        else:
            if form.is_bound and "ajouter" in request.POST and not form.errors:
                messages.success(
                    request,
                    f"C’est fait : {form.cleaned_data['email']} a reçu un courriel. Si la personne a un compte "
                    "confirmé, elle a déjà accès au dossier ; sinon elle y aura accès dès qu’elle aura créé son "
                    "compte et confirmé son adresse.",
                )
            if not form.errors:
                return redirect("usagers:aidants", pk=dossier.pk)
    referent = aidants_services.is_referent(request.user, dossier)
    context = {
        "title": f"Aidants — {dossier.numero}",
        "dossier": dossier,
        "aidants": dossier.aidants.select_related("user"),
        "invitations": dossier.invitations_aidants.all() if referent else [],
        "form": form,
        "referent": referent,
    }
    return render(request, "usagers/aidants.html", context)


def _aidant_action(request, dossier, form):
    by = {"by": request.user, "request": request}
    if "ajouter" in request.POST:
        if form.is_valid():
            data = form.cleaned_data
            aidants_services.add_aidant(
                dossier, email=data["email"], lien=data["lien"], consentement=data["consentement"], **by
            )
    elif "referent" in request.POST:
        aidants_services.set_referent(dossier, aidant_id=_posted_id(request, "referent"), **by)
    elif "retirer" in request.POST:
        aidants_services.remove_aidant(dossier, aidant_id=_posted_id(request, "retirer"), **by)
    elif "annuler_invitation" in request.POST:
        aidants_services.cancel_invitation(dossier, invitation_id=_posted_id(request, "annuler_invitation"), **by)


def _posted_id(request, name: str) -> int:
    number = parse_id(request.POST.get(name))
    if number is None:
        raise CompteError("Action invalide.")
    return number


@famille_required
@require_http_methods(["GET", "POST"])
def medecin(request, pk):
    """« Désigner mon médecin traitant »: search by name/commune, or a paper handover."""
    dossier = dossier_or_404(request.user, pk)
    dossier_services.record_read(request, dossier)
    if request.method == "POST":
        value = request.POST.get("medecin") or ""
        try:
            if value.startswith("a"):  # a doctor of the Annuaire Santé, with or without an account
                return _designate_from_annuaire(request, dossier, value[1:])
            chosen = User.objects.filter(pk=parse_id(value) or 0).first()
            services.designate_medecin(dossier, chosen or User(), by=request.user, request=request)
        except CompteError as exc:  # the page is shown again with the French reason
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{chosen.get_full_name()} est prévenu(e) et peut compléter la partie médicale.")
            return redirect("usagers:dossier", pk=dossier.pk)
    form = MedecinRechercheForm(request.GET or None)
    found = medecins.search_medecins(request.GET.get("nom", ""), request.GET.get("commune", "")) if request.GET else []
    context = {
        "title": "Désigner mon médecin traitant",
        "dossier": dossier,
        "form": form,
        "found": found,
        "searched": bool(request.GET),
    }
    return render(request, "usagers/medecin.html", context)


def _designate_from_annuaire(request, dossier, professionnel_pk: str):
    """Raises CompteError (unknown doctor, no longer allowed…); the caller shows the page again."""
    pro = Professionnel.objects.filter(pk=parse_id(professionnel_pk) or 0).first()
    invited = medecins.designate_from_annuaire(dossier, pro or Professionnel(), by=request.user, request=request)
    if invited:
        messages.success(request, f"{pro} est invité(e) par courriel à compléter la partie médicale.")
    else:
        messages.warning(
            request,
            f"{pro} est désigné(e), mais aucune adresse électronique n’est connue : remettez-lui la feuille "
            "avec le numéro du dossier et le code d’accès (« Préparer la feuille pour mon médecin »).",
        )
    return redirect("usagers:dossier", pk=dossier.pk)


@famille_required
@require_POST
def code_papier(request, pk):
    dossier = dossier_or_404(request.user, pk)
    code = services.issue_paper_code(dossier, by=request.user, request=request)
    context = {
        "title": "À remettre à votre médecin",
        "dossier": dossier,
        "code": code,
        "rattacher_url": absolute(reverse("usagers:rattacher")),
    }
    return render(request, "usagers/code_papier.html", context)


@medical_required
@require_http_methods(["GET", "POST"])
def rattacher(request):
    """For doctors: the dossier number and code the family gave on paper → the doctor takes the dossier."""
    form = RattacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.ip_allowed(f"{client_ip(request)}:{request.user.pk}", scope="code"):
            form.add_error(None, "Trop d’essais. Réessayez dans quelques minutes.")
        else:
            try:
                dossier = services.attach_by_code(
                    medecin=request.user,
                    numero=form.cleaned_data["numero"],
                    code=form.cleaned_data["code"],
                    request=request,
                )
            except CompteError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Le dossier {dossier.numero} est rattaché : complétez la partie médicale.")
                return redirect("dossiers:detail", pk=dossier.pk)
    return render(
        request, "usagers/rattacher.html", {"title": "Rattacher un dossier remis par une famille", "form": form}
    )
