"""Terraform's IP network functions: cidrhost, cidrnetmask, cidrsubnet, cidrsubnets.

Computed with integer arithmetic on the address (never by enumerating subnets, so an IPv6 /8 split
into /128s costs nothing), with the rules and messages of Terraform's ``go-cidr``: the address of
a prefix is masked (``10.1.2.3/16`` is ``10.1.0.0/16``), a negative host number counts from the end
of the range, ``cidrsubnets`` allocates each prefix after the previous one at its alignment.
IPv4 octets with leading zeros are read as decimal, as Terraform (Go 1.16's parser) reads them.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from ekslint.linter.terraform.functions_core import num, register, string, whole
from ekslint.linter.terraform.values import EvalError

_IPV4 = re.compile(r"([0-9]{1,10})\.([0-9]{1,10})\.([0-9]{1,10})\.([0-9]{1,10})")


class _Prefix:
    """A parsed CIDR prefix: the masked network address, the prefix length and the address size."""

    __slots__ = ("bits", "length", "network")

    def __init__(self, text: str) -> None:
        address, slash, length = text.partition("/")
        if not slash or not length.isascii() or not length.isdigit() or len(length) > 3:
            raise EvalError(f"invalid CIDR expression: invalid CIDR address: {text}")
        m = _IPV4.fullmatch(address)
        if m is not None:
            octets = [int(g) for g in m.groups()]
            if any(o > 255 for o in octets):
                raise EvalError(f"invalid CIDR expression: invalid CIDR address: {text}")
            value, self.bits = (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3], 32
        else:
            try:
                if "%" in address:
                    raise ValueError(address)
                value, self.bits = int(ipaddress.IPv6Address(address)), 128
            except ValueError:
                raise EvalError(f"invalid CIDR expression: invalid CIDR address: {text}") from None
        self.length = int(length)
        if self.length > self.bits:
            raise EvalError(f"invalid CIDR expression: invalid CIDR address: {text}")
        self.network = value & mask(self.length, self.bits)

    @property
    def host_bits(self) -> int:
        return self.bits - self.length

    def last(self) -> int:
        return self.network | ((1 << self.host_bits) - 1)


def mask(length: int, bits: int) -> int:
    """The network mask of a ``length``-bit prefix of a ``bits``-bit address, as an integer."""
    return ((1 << length) - 1) << (bits - length)


def prefix_text(value: int, length: int, bits: int) -> str:
    """A prefix as Go prints it: an IPv4-mapped IPv6 prefix of 96 bits or more as an IPv4 one."""
    if bits == 128 and value >> 32 == 0xFFFF and length >= 96:
        return f"{address_text(value, bits)}/{length - 96}"
    return f"{address_text(value, bits)}/{length}"


def address_text(value: int, bits: int) -> str:
    """An address as Go prints it (an IPv4-mapped IPv6 address in dotted quads)."""
    if bits == 32 or value >> 32 == 0xFFFF:
        return str(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    return str(ipaddress.IPv6Address(value))


def _big(v: Any, param: str) -> int:
    n = num(v, param)
    if isinstance(n, float):
        if not n.is_integer():
            raise EvalError(f'invalid value for "{param}" parameter: value must be a whole number')
        n = int(n)
    return n


@register("cidrhost")
def _cidrhost(prefix: Any, hostnum: Any) -> Any:
    net, n = _Prefix(string(prefix, "prefix")), _big(hostnum, "hostnum")
    biggest = (1 << net.host_bits) - 1
    index = n if n >= 0 else biggest + n + 1
    if not 0 <= index <= biggest:
        raise EvalError(f"prefix of {net.length} does not accommodate a host numbered {n}")
    return address_text(net.network | index, net.bits)


@register("cidrnetmask")
def _cidrnetmask(prefix: Any) -> Any:
    text = string(prefix, "prefix")
    net = _Prefix(text)
    if net.bits != 32:
        raise EvalError(f"IPv6 addresses cannot have a netmask: {text}")
    return address_text(mask(net.length, 32), 32)


@register("cidrsubnet")
def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> Any:
    net, extra, n = _Prefix(string(prefix, "prefix")), whole(newbits, "newbits"), _big(netnum, "netnum")
    length = net.length + extra
    if extra < 0 or length > net.bits:
        raise EvalError(f"insufficient address space to extend prefix of {net.length} by {extra}")
    if not 0 <= n < (1 << extra):
        raise EvalError(f"prefix extension of {extra} does not accommodate a subnet numbered {n}")
    return prefix_text(net.network | (n << (net.bits - length)), length, net.bits)


@register("cidrsubnets")
def _cidrsubnets(prefix: Any, *newbits: Any) -> Any:
    net = _Prefix(string(prefix, "prefix"))
    extras = [whole(b, "newbits") for b in newbits]
    if not extras:
        return []
    size = 1 << net.bits
    # go-cidr's PreviousSubnet: the prefix of the first length just before the base address
    first = min(net.length + extras[0], net.bits)
    start, length = ((net.network - 1) % size) & mask(first, net.bits), first
    out: list[str] = []
    for i, extra in enumerate(extras):
        if extra < 1:
            raise EvalError(f"argument {i + 1}: must extend prefix by at least one bit")
        if extra > 32:
            raise EvalError(f"argument {i + 1}: may not extend prefix by more than 32 bits")
        new = net.length + extra
        if new > net.bits:
            protocol = "IPv4" if net.bits == 32 else "IPv6"
            raise EvalError(
                f"argument {i + 1}: would extend prefix to {new} bits, which is too long for an {protocol} address"
            )
        # go-cidr's NextSubnet: the first prefix of the new length after the current one
        last = start | ((1 << (net.bits - length)) - 1)
        following = ((last & mask(new, net.bits)) | ((1 << (net.bits - new)) - 1)) + 1
        if following >= size or not net.network <= following <= net.last():
            raise EvalError(
                f"argument {i + 1}: not enough remaining address space for a subnet with a prefix of {new} bits "
                f"after {prefix_text(start, length, net.bits)}"
            )
        start, length = following, new
        out.append(prefix_text(start, length, net.bits))
    return out
