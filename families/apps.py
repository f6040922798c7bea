from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "families"

    def ready(self):
        from auditlog.registry import auditlog

        from core.crypto import encrypted_fields
        from families.models import Assessment, Family, FamilyReason, NeedsDiagnosis, Person, Visit

        timestamps = ["created_at", "updated_at"]
        # Change history and ACCESS entries (django-auditlog), each model with its options; the
        # PESEL and document number are masked in the diffs, and so is every encrypted field (fully:
        # the audit log must not keep in clear what the table keeps encrypted).
        for model, options in (
            (Family, {"exclude_fields": [*timestamps, *Family.VISIT_FIELDS]}),
            (
                Person,
                {
                    "exclude_fields": [*timestamps, "pesel_hash", "search_name"],
                    "mask_fields": ["foreign_document_number", *encrypted_fields(Person)],
                },
            ),
            (FamilyReason, {}),
            (Visit, {"exclude_fields": timestamps, "m2m_fields": {"persons_present"}}),
            (NeedsDiagnosis, {"exclude_fields": timestamps}),
            (Assessment, {"exclude_fields": timestamps}),
        ):
            auditlog.register(model, **options)
