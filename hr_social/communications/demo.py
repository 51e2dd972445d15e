"""Demo data (filled in step 6)."""
