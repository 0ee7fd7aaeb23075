"""Placeholders: values that a templating tool or a person fills in later, shared by every rule.

Repositories hold templates next to rendered manifests: ``envsubst`` and Terraform files, Helm and
Jinja leftovers, documentation Secrets with ``[your-password]``. Such a value is *unknown*: a rule
that compares names (a port name, a Service, a selector, a Secret reference) cannot say it matches
nothing, and a credential rule cannot say it is a secret. One notion for all rules, so that a
``${VAR}`` skipped by one is not reported by another.

Template expressions (:func:`has_template`), anywhere in a value:

* ``${VAR}`` (envsubst, shell, Terraform, CloudFormation ``!Sub``): any ``${``, closed or not;
* ``$VAR`` (envsubst, shell) where ``$`` starts the value or follows a character that is not a
  letter, digit, ``_``, ``$`` or backslash (``arn:aws:iam::$ACCOUNT:role/x``, ``app-$ENV``), so a
  literal such as ``Pa$sword`` or ``P@$$w0rd`` (``$$`` is an escaped dollar) is not one;
* ``$(VAR)`` (Kubernetes env expansion, shell command substitution): any ``$(``;
* ``{{ ... }}`` (Helm, Go templates, Jinja, Mustache) and ``{% ... %}`` (Jinja): any ``{{``/``{%``;
* ``#{VAR}`` (Octopus, Ruby, Spring) and ``%{VAR}`` (Terraform directives, Ruby): any ``#{``/``%{``;
* ``%(name)s``, ``%s``, ``%d`` (printf-style format strings);
* ``%VAR%`` (Windows, replace-token tasks; upper-case names only, so ``%abc%`` is not one),
  ``__VAR__`` (Azure DevOps replace tokens, upper case), ``@var.name@`` (Maven, autotools; not
  inside a word, so the password ``p@ss@w0rd`` is not one).

Fill-in slots (the rest of :func:`is_placeholder`):

* ``<...>`` anywhere, at most 100 characters between the brackets (``<your-password>``,
  ``arn:aws:iam::<account>:role/x``);
* ``[...]`` as the whole value, a letter first, then letters, digits, spaces, ``_``, ``.``, ``-``
  (``[your-password]``, ``[MOUNT TARGET IP ADDRESS]``; not ``[80, 443]`` or ``[{"HTTP": 80}]``);
* ``{slot}`` anywhere, a letter first and at most 100 characters (``https://{endpoint}``,
  ``{Access Key}``; not JSON, whose keys are quoted);
* the words ``change me``, ``replace me``, ``fill in``/``fill me``, ``placeholder`` and ``your``
  (``CHANGEME``, ``replace_me``, ``YOUR_TOKEN_ID``, ``bootstrap-token-YOUR_ID``), as words: not
  inside another word (``exchangemessage``, ``yourself`` are not).

Every pattern runs in linear time whatever the value (a scanned file is untrusted input): no
pattern has two quantifiers that can match the same text, and the ones that look for a closing
bracket stop at the next opening one or after 100 characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

#: Openings that start a template expression wherever they are.
_TEMPLATE_OPENINGS = ("${", "$(", "{{", "{%", "#{", "%{")

_TEMPLATE = re.compile(
    r"(?<![\w$\\])\$[A-Za-z_]"  # $VAR
    r"|%\(\w+\)[sd]|%[sd]\b"  # %(name)s, %s, %d
    r"|%[A-Z_][A-Z0-9_]*%"  # %VAR%
    r"|__[A-Z][A-Z0-9_]*__"  # __VAR__
    r"|(?<![A-Za-z0-9])@[A-Za-z_][A-Za-z_.]*@(?![A-Za-z0-9])"  # @var.name@
)
_FILL_IN = re.compile(
    r"<[^<>\n]{1,100}>"  # <your-password>
    r"|\{[A-Za-z_][\w .\-]{0,100}\}"  # {endpoint}
    r"|(?<![A-Za-z])(?i:change[-_ ]?me|replace[-_ ]?me|fill[-_ ]?(?:in|me)|placeholder|your)(?![a-z])"
)
_BRACKETED = re.compile(r"\[[A-Za-z][\w .\-]{0,100}\]")


def has_template(value: Any) -> bool:
    """Does the string ``value`` hold a template expression (``${VAR}``, ``$VAR``, ``{{ }}``...)?

    Anything but a string is not a template (a YAML number or boolean is what it says).
    """
    if not isinstance(value, str):
        return False
    return any(opening in value for opening in _TEMPLATE_OPENINGS) or _TEMPLATE.search(value) is not None


def is_placeholder(value: Any) -> bool:
    """Is the string ``value`` filled in later: a template expression or a fill-in slot?

    A rule comparing names treats such a value as unknown (it may become any name) and a
    credential rule as no secret. Anything but a string is not a placeholder.
    """
    return isinstance(value, str) and _is_placeholder_text(value)


@lru_cache(maxsize=1 << 16)
def _is_placeholder_text(value: str) -> bool:
    """:func:`is_placeholder` of a string, remembered: the "matches nothing" rules ask it of the
    same label keys and values for every pair of selector and workload (a NetworkPolicy against
    each workload of its namespace), which took a quarter of a corpus scan."""
    if has_template(value) or _FILL_IN.search(value) is not None:
        return True
    return _BRACKETED.fullmatch(value.strip()) is not None


def holds_placeholder(node: Any) -> bool:
    """Does a label map, a selector or a list of them hold a placeholder key or value?

    For "matches nothing" rules: a selector ``app: ${APP}``, or pods labelled ``app: ${APP}``,
    may select or be selected by anything once rendered. Walked without recursion: the node
    comes from a scanned file and may be nested arbitrarily deep.
    """
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            if any(is_placeholder(k) for k in item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif is_placeholder(item):
            return True
    return False
