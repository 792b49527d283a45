"""Family-space rules: accounts (`comptes`), the family's dossier (`dossiers`), choosing structures (`choix`)."""
