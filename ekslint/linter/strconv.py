"""Go's ``strconv`` parsing of boolean text, as controllers read annotations and Go's flag package
reads flags: shared by the load-balancer rules and the leader-election checks, so that neither
imports the other's tables."""

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_bool(text: str) -> bool | None:
    """Go's ``strconv.ParseBool`` (both controllers read annotations with it, and Go's flag package
    reads boolean flags with it); ``None`` when not a boolean."""
    text = text.strip()
    return True if text in _TRUE else False if text in _FALSE else None
