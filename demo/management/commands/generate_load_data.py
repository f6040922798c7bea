"""`python manage.py generate_load_data --scale S|M|L|XL [--seed N] [--reuse]` (PostgreSQL)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.loadgen import generate


class Command(BaseCommand):
    help = "Generuje dane obciążeniowe (benchmark) w skali S, M, L (duże miasto) lub XL (dziesięć ośrodków)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["S", "M", "L", "XL"], default="S")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--reuse", action="store_true", help="Nic nie rób, jeśli dane tej skali już są.")

    def handle(self, *args, scale, seed, reuse, **options):
        started = time.perf_counter()
        try:
            counts = generate.run(scale=scale, seed=seed, reuse=reuse, log=self.stdout.write)
        except generate.LoadDataError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{name:<28}{count:>10}")
        self.stdout.write(self.style.SUCCESS(f"Gotowe w {time.perf_counter() - started:.1f} s"))
