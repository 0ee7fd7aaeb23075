"""Rules of family meta."""
