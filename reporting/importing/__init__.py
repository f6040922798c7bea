"""The SL2014 participant file: its column layout, reading CSV/XLSX, and row validation.

The export (reporting.services.import_export) writes this layout; the import reads it back.
"""
