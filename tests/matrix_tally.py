"""The access matrix's own tally, printed at the end of the run by tests/conftest.py: HTTP requests
made ("tries"), matrix test cases run, and failures (tests/test_access_matrix*.py)."""

MATRIX_TALLY = {"tries": 0}  # requests made in this process
REPORTED_TALLY = {"tries": 0, "cases": 0, "failures": 0}  # summed from the reports (all workers)
