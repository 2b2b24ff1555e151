"""Longer action names (password accepted, password reset requested...). SQLite alters a
column by rebuilding the table, which drops its triggers: the append-only triggers are
created again straight after."""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("saferhub.audit.migrations.0002_append_only")


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        for statement in append_only.SQLITE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("password_accepted", "Password accepted"),
                    ("sign_in", "Sign-in"),
                    ("sign_in_failed", "Failed sign-in"),
                    ("sign_out", "Sign-out"),
                    ("view", "View"),
                    ("create", "Create"),
                    ("update", "Update"),
                    ("delete", "Delete"),
                    ("export", "Export"),
                    ("password_reset_requested", "Password reset requested"),
                    ("password_reset", "Password reset"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
    ]
