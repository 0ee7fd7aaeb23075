"""Rules of family podsecurity."""
