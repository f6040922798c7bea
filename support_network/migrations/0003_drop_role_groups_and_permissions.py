"""Access is decided by StaffMembership.role in the rooms' access.py; the role groups and the
custom permissions that were rebuilt after every migrate were never read, so they go."""

from django.db import migrations

CODENAMES = ["casework", "coordinate", "answer_referrals", "manage_project", "audit", "administer"]
# The group names were the role labels (Role(...).label, in Polish).
GROUP_NAMES = [
    "Pracownik socjalny",
    "Członek MGI",
    "Koordynator",
    "Kierownik projektu",
    "Pracownik instytucji partnerskiej",
    "Audytor (tylko odczyt)",
    "Administrator",
]


def drop_role_groups_and_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name__in=GROUP_NAMES).delete()
    Permission.objects.filter(content_type__app_label="support_network", codename__in=CODENAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support_network", "0002_catalogue_agreements_meetings"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="staffmembership",
            options={"verbose_name": "członkostwo w instytucji", "verbose_name_plural": "członkostwa w instytucjach"},
        ),
        migrations.RunPython(drop_role_groups_and_permissions, migrations.RunPython.noop),
    ]
