"""Django forms defining each section's fields and validation (French messages per field)."""
