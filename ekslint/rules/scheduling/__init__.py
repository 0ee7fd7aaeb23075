"""Rules of family scheduling."""
