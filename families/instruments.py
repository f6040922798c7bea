"""The default competence instrument (Kalisz "Razem Skuteczniej": social competences assessed at
recruitment and again at the end). Used by a data migration and by the demo data; editable in the admin."""

SOCIAL_COMPETENCES = "Kwestionariusz kompetencji społecznych"
SOCIAL_COMPETENCES_DESCRIPTION = (
    "Ocena kompetencji społecznych uczestnika przy rekrutacji i na zakończenie udziału. "
    "Każdy wymiar w skali 1–5: 1 – bardzo niski poziom, 2 – niski, 3 – przeciętny, 4 – dobry, 5 – bardzo dobry."
)
SOCIAL_COMPETENCE_DIMENSIONS = [
    ("komunikacja", "wyrażanie potrzeb i opinii, słuchanie innych, kontakt z urzędami i pracodawcą"),
    ("współpraca", "praca w grupie, dotrzymywanie ustaleń, przyjmowanie pomocy"),
    ("rozwiązywanie problemów", "rozpoznanie problemu, szukanie rozwiązań, korzystanie z dostępnych usług"),
    ("samodzielność", "organizacja dnia, załatwianie spraw, prowadzenie budżetu domowego"),
    ("motywacja do pracy", "gotowość do podjęcia zatrudnienia lub nauki, aktywne poszukiwanie pracy"),
    ("radzenie sobie ze stresem", "reakcje na trudne sytuacje, konstruktywne sposoby radzenia sobie"),
]


def ensure_social_competences(instrument_model, dimension_model):
    """Create the instrument and its dimensions if missing (never overwrites admin edits)."""
    instrument, _ = instrument_model.objects.get_or_create(
        name=SOCIAL_COMPETENCES, defaults={"description": SOCIAL_COMPETENCES_DESCRIPTION}
    )
    for order, (name, description) in enumerate(SOCIAL_COMPETENCE_DIMENSIONS, start=1):
        dimension_model.objects.get_or_create(
            instrument=instrument, name=name, defaults={"description": description, "order": order}
        )
    return instrument
