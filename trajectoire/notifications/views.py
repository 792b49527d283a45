from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from trajectoire.core.parsing import safe_next

from . import services


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"title": "Mes notifications", "page": page})


@login_required
@require_POST
def mark_read(request, notification_id=None):
    services.mark_read(request.user, notification_id)
    return redirect(safe_next(request, request.POST.get("next"), reverse("notifications:list")))


class PreferencesForm(DsfrBaseForm):
    notify_by_email = forms.BooleanField(
        label="Recevoir aussi les notifications par courriel",
        help_text="Les courriels annoncent un changement (réponse d’une structure, demande de complément…) "
        "sans jamais contenir de donnée médicale.",
        required=False,
    )


@login_required
def preferences(request):
    data = request.POST if request.method == "POST" else None  # unticking the only box posts no field
    form = PreferencesForm(data, initial={"notify_by_email": request.user.notify_by_email})
    if request.method == "POST" and form.is_valid():
        request.user.notify_by_email = form.cleaned_data["notify_by_email"]
        request.user.save(update_fields=["notify_by_email"])
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"title": "Préférences de notification", "form": form})
