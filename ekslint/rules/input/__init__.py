"""Rules of family input."""
