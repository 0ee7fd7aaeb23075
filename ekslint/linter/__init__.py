"""The linting engine: loading, object model, rules registry, suppressions, config and formatters.

Nothing in this package imports typer: ``lint(paths, config) -> Report`` is usable as a library.

Every start of a one-file scan (the pre-commit case) pays for the classes its modules make, so
its immutable records are ``typing.NamedTuple`` and its mutable dataclasses ``eq=False``, and its
rarely used regular expressions are :class:`~ekslint.linter.lazyre.LazyPattern`
(``tests/test_startup.py`` checks the first, and says what each costs).
"""
