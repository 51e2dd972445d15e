"""Background jobs (bulk printing…): state and progress in the database."""
