"""City-scale load data for `make bench` (generate_load_data): bulk inserts, reproducible with a seed.

Lives in the top room because it fills every room. Scale L is a large city: 20,000 families,
60,000 persons, 400,000 visits, 60,000 referrals, 10,000 contracts, 8,000 family programmes,
25,000 participations in the main project (plus three smaller projects), 60 social workers.
"""
