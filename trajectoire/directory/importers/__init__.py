"""Importers of national reference data: communes (La Poste), FINESS (3 formats), CNSA EHPAD prices."""
