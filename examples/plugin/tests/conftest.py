"""Make the plugin's package importable when its tests run from a checkout, uninstalled."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
