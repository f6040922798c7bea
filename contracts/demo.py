"""Demo data of this room for seed_demo (idempotent)."""


def seed(stdout) -> None:
    return None
