"""The bells' counters (accounts.User.unread_notifications) set from the notifications already stored."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_unread(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Notification = apps.get_model("notifications", "Notification")
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = User.objects.filter(pk__in=Notification.objects.filter(read_at__isnull=True).values("user"))
    users.update(unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_unread_notifications"),
        ("notifications", "0002_i18_outgoingemail_via_mssante"),
    ]

    operations = [migrations.RunPython(count_unread, migrations.RunPython.noop)]
