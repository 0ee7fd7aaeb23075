"""What a rule receives besides its target."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.config import ActiveRule, Settings
from ekslint.linter.index import ScanIndex


@dataclass(frozen=True)
class RuleContext:
    """The whole scan (for cross-object rules), the rule's options and the scan settings."""

    index: ScanIndex
    options: Any
    settings: Settings
    rule: ActiveRule
    notes: list[str] = field(default_factory=list)
    #: Ids of every rule this scan runs, so a rule can leave a case to a more precise one.
    active: frozenset[str] = frozenset()

    def note(self, message: str) -> None:
        """Tell the user something that is not a finding (shown once on stderr and in json
        ``notes``): e.g. a subnet skipped because its CIDR is unknown, rather than a guess."""
        text = f"{self.rule.meta.id}: {message}"
        if text not in self.notes:
            self.notes.append(text)
