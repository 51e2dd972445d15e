"""Consistent backups of the live database and their verification."""
