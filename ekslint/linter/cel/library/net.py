"""Kubernetes' IP and CIDR libraries: ``ip()``, ``cidr()``, ``isIP()``, ``isCIDR()`` and members.

Parsing follows Go's ``net/netip`` as Kubernetes uses it: no zones (``fe80::1%eth0``), no
IPv4-mapped IPv6 addresses (``::ffff:1.2.3.4``), no leading zeros in IPv4, and a CIDR keeps its
address as written (``cidr('10.0.0.1/8').ip()`` is ``10.0.0.1``; ``masked()`` clears the host
bits). The address predicates are Go's ``netip.Addr`` ones, so ``isGlobalUnicast`` is true for
private addresses, as it is in Kubernetes.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from cel_expr_python import cel

from ekslint.linter.cel.library.wrapped import CIDR, IP, WRAPPED, CelFunctionError, Functions, unwrap, wrap

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Interface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


def parse_ip(text: str) -> Address:
    if "%" in text:
        raise ValueError(f"IP address with zone value is not allowed: {text!r}")
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        raise ValueError(f"IP Address {text!r} parse error during conversion from string") from None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address is not allowed: {text!r}")
    return addr


def parse_cidr(text: str) -> Interface:
    address, slash, bits = text.partition("/")
    if not slash or not bits.isdigit() or (len(bits) > 1 and bits.startswith("0")):
        raise ValueError(f"network address parse error during conversion from string: {text!r}")
    addr = parse_ip(address)
    if int(bits) > addr.max_prefixlen:
        raise ValueError(f"network address parse error during conversion from string: {text!r}")
    return ipaddress.ip_interface(f"{addr}/{bits}")


def _ip(value: Any, function: str) -> Address:
    return ipaddress.ip_address(unwrap(IP, value, function))


def _cidr(value: Any, function: str) -> Interface:
    return ipaddress.ip_interface(unwrap(CIDR, value, function))


def _checked(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except ValueError as exc:
        raise CelFunctionError(str(exc)) from None


def ip(text: str) -> dict[str, str]:
    return wrap(IP, str(_checked(parse_ip, text)))


def cidr(text: str) -> dict[str, str]:
    return wrap(CIDR, str(_checked(parse_cidr, text)))


def _valid(parse: Any, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


def is_canonical(text: str) -> bool:
    return str(_checked(parse_ip, text)) == text


def is_link_local_multicast(addr: Address) -> bool:
    if isinstance(addr, ipaddress.IPv4Address):
        return addr in ipaddress.IPv4Network("224.0.0.0/24")
    return addr.packed[0] == 0xFF and addr.packed[1] & 0x0F == 0x02


def is_global_unicast(addr: Address) -> bool:
    """Go's ``IsGlobalUnicast``: not unspecified, loopback, multicast, link-local or broadcast."""
    if isinstance(addr, ipaddress.IPv4Address) and addr == ipaddress.IPv4Address("255.255.255.255"):
        return False
    return not (addr.is_unspecified or addr.is_loopback or addr.is_multicast or addr.is_link_local)


def contains_ip(c: Any, other: Any) -> bool:
    net = _cidr(c, "containsIP")
    addr = _checked(parse_ip, other) if isinstance(other, str) else _ip(other, "containsIP")
    return addr.version == net.version and addr in net.network


def contains_cidr(c: Any, other: Any) -> bool:
    net = _cidr(c, "containsCIDR")
    inner = _checked(parse_cidr, other) if isinstance(other, str) else _cidr(other, "containsCIDR")
    return inner.version == net.version and inner.network.prefixlen >= net.network.prefixlen and inner.ip in net.network


def to_string(value: Any) -> str:
    """``string(ip(...))`` and ``string(cidr(...))``: the canonical text."""
    from ekslint.linter.cel.library.wrapped import QUANTITY, SEMVER, URL, kind_of

    kind = kind_of(value)
    if kind in (IP, CIDR, URL, SEMVER, QUANTITY):
        return str(next(iter(value.values())))
    raise CelFunctionError("no such overload: string() of a map")


def register(fns: Functions) -> None:
    S, B, INT = cel.Type.STRING, cel.Type.BOOL, cel.Type.INT
    fns.add("ip", "string_to_ip", WRAPPED, [S], ip)
    fns.add("isIP", "is_ip", B, [S], lambda t: _valid(parse_ip, t))
    fns.add("ip.isCanonical", "ip_is_canonical", B, [S], is_canonical)
    fns.add("cidr", "string_to_cidr", WRAPPED, [S], cidr)
    fns.add("isCIDR", "is_cidr", B, [S], lambda t: _valid(parse_cidr, t))
    fns.add("family", "ip_family", INT, [WRAPPED], lambda v: _ip(v, "family").version, member=True)
    for name, test in (
        ("isUnspecified", lambda a: a.is_unspecified),
        ("isLoopback", lambda a: a.is_loopback),
        ("isLinkLocalMulticast", is_link_local_multicast),
        ("isLinkLocalUnicast", lambda a: a.is_link_local),
        ("isGlobalUnicast", is_global_unicast),
    ):
        fns.add(name, f"ip_{name}", B, [WRAPPED], lambda v, t=test, n=name: bool(t(_ip(v, n))), member=True)
    fns.add("containsIP", "cidr_contains_ip_string", B, [WRAPPED, S], contains_ip, member=True)
    fns.add("containsIP", "cidr_contains_ip_ip", B, [WRAPPED, WRAPPED], contains_ip, member=True)
    fns.add("containsCIDR", "cidr_contains_cidr_string", B, [WRAPPED, S], contains_cidr, member=True)
    fns.add("containsCIDR", "cidr_contains_cidr", B, [WRAPPED, WRAPPED], contains_cidr, member=True)
    fns.add("ip", "cidr_ip", WRAPPED, [WRAPPED], lambda c: wrap(IP, str(_cidr(c, "ip").ip)), member=True)
    fns.add(
        "masked", "cidr_masked", WRAPPED, [WRAPPED], lambda c: wrap(CIDR, str(_cidr(c, "masked").network)), member=True
    )
    fns.add(
        "prefixLength",
        "cidr_prefix_length",
        INT,
        [WRAPPED],
        lambda c: _cidr(c, "prefixLength").network.prefixlen,
        member=True,
    )
    fns.add("string", "wrapped_to_string", S, [WRAPPED], to_string)
