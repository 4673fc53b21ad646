"""Demo data for Lai Châu province, built from the provincial documents in shared/seeds."""
