"""Bringing records in from files (CSV, Bundestag DIP JSON, IATI XML) and taking them out again
(CSV and JSON exports)."""
