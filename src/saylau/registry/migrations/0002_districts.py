"""Load the 17 regions and 3 cities of republican significance."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from saylau.registry.districts import DISTRICTS


def load(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    District = apps.get_model("registry", "District")
    for d in DISTRICTS:
        District.objects.update_or_create(
            code=d.code,
            defaults={
                "name_kk": d.name_kk,
                "name_ru": d.name_ru,
                "name_en": d.name_en,
                "is_city": d.is_city,
            },
        )


def unload(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    District = apps.get_model("registry", "District")
    District.objects.filter(code__in=[d.code for d in DISTRICTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
