"""Attribution of rendered output back to its sources.

``helm template`` writes ``# Source: chart/templates/x.yaml`` before each document. When such a
stream is scanned (stdin, or ``--helm``), findings name the template file, and their lines count
from the line after that comment, which matches the template's own lines wherever no template
action above the finding added or removed lines. Kustomize output has no such comments; there
each object is matched to the source file that defines it (by kind, namespace and name).
"""

from __future__ import annotations

import re

from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.loader import SourceFile

#: The name runs to the end of the line (trailing blanks are stripped in code: a lazy ``.*?`` before
#: ``\s*$`` retries the blanks at every character, quadratic in a line of 60,000 spaces).
_SOURCE = LazyPattern(r"#\s*Source:\s*(\S.*)")
_SEPARATOR = re.compile(r"^---(\s|$)")


def attribute_helm_sources(source: SourceFile) -> int:
    """Set ``origin`` on every document preceded by a ``# Source:`` comment; return how many."""
    if "# Source:" not in source.text:
        return 0
    lines = source.lines
    count = 0
    for doc in source.documents:
        start = doc.root.pos.line  # 1-based line of the document's first key
        for index in range(start - 2, -1, -1):
            line = lines[index]
            if _SEPARATOR.match(line):
                break
            match = _SOURCE.match(line)
            if match:
                doc.origin = match.group(1).rstrip()
                doc.origin_line_offset = index + 1
                count += 1
                break
    return count
