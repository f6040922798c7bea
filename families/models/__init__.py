"""Whom we help: families, persons and the casework with them (package: core, casework, assessments)."""

from families.models.assessments import (
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
    AssessmentKind,
    AssessmentScore,
    Dimension,
    Instrument,
)
from families.models.casework import Visit, VisitKind, refresh_visit_dates
from families.models.core import Family, FamilyReason, FamilyStatus, NeedsDiagnosis, Person, PersonMerge

__all__ = [
    "SCORE_MAX",
    "SCORE_MIN",
    "Assessment",
    "AssessmentKind",
    "AssessmentScore",
    "Dimension",
    "Family",
    "FamilyReason",
    "FamilyStatus",
    "Instrument",
    "NeedsDiagnosis",
    "Person",
    "PersonMerge",
    "Visit",
    "VisitKind",
    "refresh_visit_dates",
]
