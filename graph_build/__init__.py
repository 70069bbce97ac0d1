"""Documents -> entities -> graph: ingest, outline, clauses, agencies, regions, assembly, export, loading."""
