"""What a rule receives besides its target."""

from __future__ import annotations

from dataclasses import dataclass
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
