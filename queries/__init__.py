"""Indicator queries: one .sql file per indicator, run by name through the registry."""
