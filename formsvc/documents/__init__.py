"""Documents: one registry of kinds, each a context builder feeding a DOCX and a PDF template."""
