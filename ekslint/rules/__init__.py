"""The rules: one module and one Markdown doc per rule, grouped by family sub-package.

Importing this package imports every rule module once, in sorted order, which registers them.
``fixes`` is not a rule module: ``ekslint fix`` imports it (with ruamel.yaml) when it runs, so
a scan never pays for round-trip YAML.
"""

import importlib
import pkgutil


def _import_all() -> None:
    for info in sorted(pkgutil.walk_packages(__path__, __name__ + "."), key=lambda i: i.name):
        if info.name != f"{__name__}.fixes":
            importlib.import_module(info.name)


_import_all()
