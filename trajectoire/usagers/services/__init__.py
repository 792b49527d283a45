"""Family-space rules: accounts (`comptes`), the family's dossier (`dossiers`), sharing it with aidants
(`aidants`), choosing structures (`choix`)."""
