# Issue 16: e-mail notifications are on by default. Existing accounts get them too: the preference could only be
# turned on until now (off was the default), so an account at False had not chosen to be left out.

from django.db import migrations, models


def turn_on(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(notify_by_email=False).update(notify_by_email=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="notify_by_email",
            field=models.BooleanField(default=True, verbose_name="recevoir les notifications par e-mail"),
        ),
        migrations.RunPython(turn_on, migrations.RunPython.noop),
    ]
