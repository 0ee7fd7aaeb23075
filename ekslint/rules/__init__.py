"""The rules: one module and one Markdown doc per rule, grouped by family sub-package.

Importing this package imports no rule: the registry comes from the generated index
(``_index.py``) and a scan imports the modules of the rules it runs (see
``ekslint.linter.registry``); ``declared_rules()`` imports them all, in sorted order.
"""
