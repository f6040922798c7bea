from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "families"

    def ready(self):
        from auditlog.registry import auditlog

        from families.models import Assessment, Family, FamilyReason, NeedsDiagnosis, Person, Visit

        timestamps = ["created_at", "updated_at"]
        # Change diffs and ACCESS entries; the PESEL and document number are masked in the diffs.
        auditlog.register(Family, exclude_fields=timestamps)
        auditlog.register(Person, exclude_fields=timestamps, mask_fields=["pesel", "foreign_document_number"])
        auditlog.register(FamilyReason)
        auditlog.register(Visit, exclude_fields=timestamps, m2m_fields={"persons_present"})
        auditlog.register(NeedsDiagnosis, exclude_fields=timestamps)
        auditlog.register(Assessment, exclude_fields=timestamps)
