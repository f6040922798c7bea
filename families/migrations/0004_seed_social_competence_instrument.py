from django.db import migrations


def seed(apps, schema_editor):
    from families.instruments import ensure_social_competences

    ensure_social_competences(apps.get_model("families", "Instrument"), apps.get_model("families", "Dimension"))


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0003_visits_assessments_person_merges"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
