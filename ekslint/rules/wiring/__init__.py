"""Rules of family wiring: references between objects (Service to pods, Ingress to Service, HPA to
its target) and a workload's consistency with itself (selector vs template, env names).

A reference to something *missing* is reported only when the scan holds at least one object of
the referenced kind in that namespace (the partial-input policy of ``rules.md``), so pre-commit
runs over a few changed files stay free of false alarms.
"""
