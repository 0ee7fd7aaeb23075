"""Acme's house rules for ekslint (an example plugin: see README.md beside this package)."""
