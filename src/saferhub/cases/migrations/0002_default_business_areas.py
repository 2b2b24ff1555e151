"""The shipped business areas (cases/defaults.py), added where their code is not yet used."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from saferhub.cases.defaults import DEFAULTS

    BusinessArea = apps.get_model("cases", "BusinessArea")
    have = set(BusinessArea.objects.values_list("code", flat=True))
    for spec in DEFAULTS:
        if spec["code"] not in have:
            BusinessArea.objects.create(**spec)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
