"""Recovery codes kept as keyed digests (accounts/recovery.py): the codes stored in plain before
are replaced by their digests, so they go on working and no plain code stays in the database."""

from django.db import migrations


def to_digests(apps, schema_editor):
    from saferhub.accounts.recovery import DIGEST_LENGTH, digest

    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.select_related("device").iterator():
        if len(token.token) < DIGEST_LENGTH:
            token.token = digest(token.device.user_id, token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_email_case_first_password_failed_sign_ins"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(to_digests, migrations.RunPython.noop)]
