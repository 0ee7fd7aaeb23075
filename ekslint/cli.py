"""Command-line front end (placeholder until the CLI lands)."""


def main() -> None:
    raise SystemExit(0)
