"""BudgetLine.category_key: the category folded (core.text.fold), unique per project, so a category
is unique regardless of case and diacritics. Existing lines that fold to the same key keep their
names; the later ones get their id appended to the key, so the constraint can be created.
Participation.search_name: "nazwisko imię" folded, for the participant list's search."""

from django.db import migrations, models

import core.text


def fill(apps, schema_editor):
    BudgetLine = apps.get_model("reporting", "BudgetLine")
    seen = set()
    for line in BudgetLine.objects.order_by("pk").only("pk", "project_id", "category"):
        key = core.text.fold(line.category)[:190]
        if (line.project_id, key) in seen:
            key = f"{key} #{line.pk}"
        seen.add((line.project_id, key))
        BudgetLine.objects.filter(pk=line.pk).update(category_key=key)  # save() would fold it again


def fill_participations(apps, schema_editor):
    Participation = apps.get_model("reporting", "Participation")
    batch = []
    for row in Participation.objects.only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        row.search_name = core.text.fold(f"{row.last_name} {row.first_name}")[:210]
        batch.append(row)
        if len(batch) >= 2000:
            Participation.objects.bulk_update(batch, ["search_name"])
            batch = []
    Participation.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_flow_referral_supports"),
        ("support_network", "0005_merge_security_and_sl2014"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetline",
            name="category_key",
            field=core.text.FoldedField(max_length=200, sources=("category",)),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="participation",
            name="search_name",
            field=core.text.FoldedField(max_length=210, sources=("last_name", "first_name")),
        ),
        migrations.RunPython(fill_participations, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="budgetline",
            constraint=models.UniqueConstraint(fields=("project", "category_key"), name="budget_category_key_unique"),
        ),
    ]
