"""The linting engine: loading, object model, rules registry, suppressions, config and formatters.

Nothing in this package imports typer: ``lint(paths, config) -> Report`` is usable as a library.
"""
