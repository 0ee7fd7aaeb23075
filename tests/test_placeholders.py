"""The one placeholder notion every rule uses (``ekslint.linter.placeholders``): each recognised
form, and the look-alikes that are real values (passwords, JSON, lists, IPv6 URLs, words that
merely contain a fill-in word)."""

from __future__ import annotations

import pytest

from ekslint.linter.placeholders import has_template, holds_placeholder, is_placeholder
from ekslint.linter.selectors import placeholder_may_match

TEMPLATES = [
    "${service_port}",
    "${EXTENSION_GRPC_PORT:-9002}",
    "${unterminated",
    "$SERVICE_PORT",
    "arn:aws:iam::$ACCOUNT_ID:role/x",
    "app-$ENV",
    "$(PROBE_PORT)",
    "postgres://app:$(DB_PASSWORD)@db/app",
    "{{ .Values.portName }}",
    "{% if prod %}a{% endif %}",
    "#{Octopus.Registry}/app",
    "%{ if x }y%{ endif }",
    "arn:aws:iam::%s:role/x",
    "%(account)s",
    "%DB_PASSWORD%",
    "__JWT_SECRET__",
    "@project.version@",
    "jdbc:mysql://@db.host@:3306/app",
]
FILL_INS = [
    "<service-name>",
    "arn:aws:iam::<ACCOUNT_ID>:role/x",
    "[service-name]",
    "[INSERT API TOKEN]",
    " [your-password] ",
    "https://{endpoint}/v1",
    "{Access Key}",
    "CHANGEME",
    "change-me",
    "replace_me",
    "fill-in",
    "placeholder",
    "YOUR_TOKEN_ID",
    "bootstrap-token-YOUR_ID",
    "YourPassword",
    "your-db-secret",
]
REAL_VALUES = [
    "web",
    "http",
    "Pa$sword",
    "P@$$w0rd",
    "cost$1",
    "%abc%",
    "100%",
    "[80, 443]",
    '[{"HTTP": 80}, {"HTTPS": 443}]',
    "[::1]",
    "https://[::1]:8443/x",
    '{"type": "redirect"}',
    "{0}",
    "a<b",
    "exchangemessage",
    "yourself",
    "layout",
    "placeholders-controller",
    "p@ss@w0rd",
    "__init__",
    "",
]


@pytest.mark.parametrize("value", TEMPLATES)
def test_template_expressions(value: str) -> None:
    assert has_template(value)
    assert is_placeholder(value)


@pytest.mark.parametrize("value", FILL_INS)
def test_fill_ins_are_placeholders_but_not_templates(value: str) -> None:
    assert is_placeholder(value)
    assert not has_template(value)


@pytest.mark.parametrize("value", REAL_VALUES)
def test_real_values(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize("value", [None, 80, 8.5, True, ["${X}"], {"a": "${X}"}])
def test_only_strings_are_placeholders(value: object) -> None:
    assert not is_placeholder(value)
    assert not has_template(value)


def test_holds_placeholder_walks_keys_values_and_lists() -> None:
    assert holds_placeholder({"matchLabels": {"app": "${APP}"}})
    assert holds_placeholder({"matchExpressions": [{"key": "app", "operator": "In", "values": ["<app>"]}]})
    assert holds_placeholder({"${LABEL}": "web"})
    assert not holds_placeholder({"matchLabels": {"app": "web"}, "matchExpressions": []})
    deep: object = "${X}"
    for _ in range(100_000):  # a scanned file may nest arbitrarily deep: no recursion
        deep = [deep]
    assert holds_placeholder(deep)


def test_placeholder_may_match_looks_where_the_selector_looks() -> None:
    selector = {"matchLabels": {"app": "web"}}
    assert not placeholder_may_match(selector, {"app": "api", "version": "${VERSION}"})
    assert placeholder_may_match(selector, {"app": "${APP}"})
    assert placeholder_may_match(selector, {"${LABEL}": "web"})
    assert placeholder_may_match({"matchLabels": {"app": "{{ .Values.app }}"}}, {"app": "web"})
    expressions = {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front"]}]}
    assert placeholder_may_match(expressions, {"tier": "<tier>"})
    assert not placeholder_may_match(expressions, {"app": "<app>", "tier": "back"})
    assert placeholder_may_match({"app": "$APP"}, {"app": "web"}, map_selector=True)
    assert not placeholder_may_match({"app": "web"}, {"app": "api"}, map_selector=True)
    assert not placeholder_may_match(None, {"app": "${APP}"})
