"""Doctor pages: my dossiers, new dossier, dossier page, section edit with autosave, print."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trajectoire.accounts.permissions import medical_required, professional_required
from trajectoire.core.panels import collect
from trajectoire.core.parsing import parse_id
from trajectoire.core.prepared import prepared
from trajectoire.directory import thesaurus

from . import pdf, services
from .access import can_edit, can_view_medical
from .forms import NouveauDossierForm
from .models import Dossier, DossierEvent, Section, ensure_visible
from .sections import definition


def _with_content(dossiers, users: bool = True):
    """Dossiers with their patient and sections, and the author's and doctor's rows unless `users` is false (the
    dossier page shows neither: two user rows were 48 of its 54 columns)."""
    related = ("patient", "created_by", "medecin") if users else ("patient",)
    return dossiers.select_related(*related).prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("key"))
    )


def _visible(user):
    return _with_content(Dossier.objects.visible_to(user))


@prepared
def _dossier_with_content(users: bool, *, pk: int):
    return _with_content(Dossier.objects.filter(pk=pk), users)


@prepared
def _events(*, dossier_id: int):
    return DossierEvent.objects.filter(dossier_id=dossier_id)  # Meta.ordering: latest first


def _visible_or_404(user, pk: int, users: bool = True) -> Dossier:
    """One dossier the user sees (as DossierQuerySet.get_visible), else 404. Its SQL is kept (core.prepared)."""
    try:
        dossier = _dossier_with_content.get(users, pk=pk)
        ensure_visible(user, dossier)
    except Dossier.DoesNotExist:
        raise Http404("Dossier introuvable.") from None
    return dossier


@professional_required
def dossier_list(request):
    dossiers = _visible(request.user)
    patient_id = parse_id(request.GET.get("patient"))
    if patient_id is not None:
        dossiers = dossiers.filter(patient_id=patient_id)
    rows = [(d, d.sections_status()) for d in dossiers]
    return render(request, "dossiers/list.html", {"title": "Mes dossiers", "rows": rows})


@medical_required
@require_http_methods(["GET", "POST"])
def dossier_create(request):
    initial = {k: request.GET[k] for k in ("patient", "domain") if k in request.GET}
    form = NouveauDossierForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.create_dossier(
                patient=data["patient"],
                domain=data["domain"],
                by=request.user,
                request=request,
                prise_en_charge=data.get("prise_en_charge", ""),
                type_sejour=data.get("type_sejour", "") if data["domain"] == "grand_age" else "",
                mention_smr=data.get("mention_smr", ""),
            )
        except services.DossierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Le dossier {dossier.numero} a été créé.")
            return redirect("dossiers:detail", pk=dossier.pk)
    return render(request, "dossiers/create.html", {"title": "Nouveau dossier", "form": form})


def _summaries(dossier, statuses, medical_ok):
    out = []
    for status in statuses:
        hidden = status.definition.is_medical and not medical_ok
        summary, extra = [], {}
        if status.section is not None and status.section.data and not hidden:
            form = status.definition.form_class(data=status.section.data, dossier=dossier)
            summary, extra = form.summary(), form.extra_context()
        out.append({"status": status, "hidden": hidden, "summary": summary, "extra": extra})
    return out


@professional_required
def dossier_detail(request, pk):
    dossier = _visible_or_404(request.user, pk, users=False)
    medical_ok = can_view_medical(request.user, dossier)
    services.record_read(request, dossier, medical=medical_ok)
    statuses = dossier.sections_status()
    context = {
        "title": f"Dossier {dossier.numero}",
        "dossier": dossier,
        "sections": _summaries(dossier, statuses, medical_ok),
        "medical_ok": medical_ok,
        "editable": can_edit(request.user, dossier),
        "ready": all(s.is_valid for s in statuses if s.definition.required),
        "valid_count": sum(s.is_valid for s in statuses),
        "access_code": request.session.pop(f"access_code_{dossier.pk}", None),
        "events": [
            e for e in _events.all(dossier_id=dossier.pk, known={"dossier": dossier}) if medical_ok or not e.is_medical
        ],
        # What other apps show here (e.g. the demandes of the dossier), see settings.DOSSIER_PANELS.
        "panels": collect("DOSSIER_PANELS", request, dossier),
    }
    return render(request, "dossiers/detail.html", context)


def _section_or_403(request, pk, key, *, write=False):
    dossier = _visible_or_404(request.user, pk)
    section_def = definition(dossier, key)
    if section_def is None:
        raise PermissionDenied("Section inconnue.")
    if section_def.is_medical and not can_view_medical(request.user, dossier):
        raise PermissionDenied("La partie médicale est réservée aux professionnels ayant une habilitation médicale.")
    if write and not can_edit(request.user, dossier):
        raise PermissionDenied("Seuls l’auteur du dossier et son médecin peuvent le modifier.")
    return dossier, section_def


@professional_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, key):
    dossier, section_def = _section_or_403(request, pk, key, write=request.method == "POST")
    if request.method == "POST":
        section, form = services.validate_section(dossier, key, request.POST, by=request.user, request=request)
        if section.is_valid:
            messages.success(request, f"La section « {section_def.title} » est validée.")
            return redirect("dossiers:detail", pk=dossier.pk)
        messages.error(request, "La section contient des erreurs : corrigez les champs signalés.")
    else:
        services.record_read(request, dossier, medical=section_def.is_medical)
        form = services.bound_form(dossier, key)
    return render(request, "dossiers/section.html", _section_context(dossier, section_def, form))


def _section_context(dossier, section_def, form):
    return {
        "title": f"{section_def.title} — {dossier.numero}",
        "dossier": dossier,
        "section_def": section_def,
        "form": form,
        "extra": form.extra_context(),
        "error_count": len(form.errors) if form.is_bound else 0,
        "thesaurus_version": thesaurus.version(),
    }


@professional_required
@require_POST
def section_autosave(request, pk, key):
    """htmx: save the draft as the user types; answer with the validation state (aria-live)."""
    dossier, _ = _section_or_403(request, pk, key, write=True)
    section, form = services.save_draft(dossier, key, request.POST, by=request.user)
    return render(
        request,
        "dossiers/_autosave.html",
        {"section": section, "extra": form.extra_context(), "error_count": len(section.errors), "dossier": dossier},
    )


def _print_context(request, pk):
    dossier = _visible_or_404(request.user, pk)
    medical_ok = can_view_medical(request.user, dossier)
    services.record_read(request, dossier, medical=medical_ok, export=True)
    return {
        "title": f"Dossier {dossier.numero}",
        "dossier": dossier,
        "patient": dossier.patient,
        "sections": _summaries(dossier, dossier.sections_status(), medical_ok),
        "medical_ok": medical_ok,
        "pdf_available": pdf.available(),
    }


@professional_required
def dossier_print(request, pk):
    """The national form's layout, printed by the browser (« Imprimer / PDF »)."""
    return render(request, "dossiers/print.html", _print_context(request, pk))


@professional_required
def dossier_pdf(request, pk):
    """The same layout rendered server-side to PDF (WeasyPrint), when the system libraries are present."""
    if not pdf.available():
        raise Http404("L’export PDF n’est pas disponible sur ce serveur : utilisez « Imprimer ».")
    context = _print_context(request, pk)
    document = pdf.render("dossiers/pdf.html", context)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{context["dossier"].numero}.pdf"'
    return response


@professional_required
@require_POST
def access_code(request, pk):
    dossier = _visible_or_404(request.user, pk)
    if not can_edit(request.user, dossier):
        raise PermissionDenied("Seuls l’auteur du dossier et son médecin peuvent générer un code d’accès.")
    request.session[f"access_code_{dossier.pk}"] = services.issue_access_code(dossier)
    return redirect("dossiers:detail", pk=dossier.pk)
