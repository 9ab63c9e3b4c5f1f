"""Indicator queries: one .sql file per indicator, run by name through the registry.

This is the layer the portal talks to; the portal and the pages never import the warehouse.
What the portal needs from the warehouse besides queries comes through three small modules here,
each a thin facade over warehouse/ with no logic of its own:
- queries.errors: the error base (EpiError) and the warehouse's and registry's errors;
- queries.schema: ensure_current(), the check that the schema is what the code needs;
- queries.feeds: the source departments and categories, and loading one department file.
"""
