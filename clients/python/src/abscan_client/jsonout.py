"""Canonical proto3 JSON shared by the Python, Go and Node clients: lowerCamelCase names, fields without
presence printed with their defaults, keys in field-number order, 2-space indent, numbers formatted like
ECMAScript (which is also what Go's protojson does), so the three clients print byte-identical reports."""
from __future__ import annotations

import json
import math
from decimal import Decimal

from google.protobuf import json_format


def message_to_json(message) -> str:
    data = json_format.MessageToDict(message, always_print_fields_with_no_presence=True,
                                     preserving_proto_field_name=False)
    return _write(_ordered(message.DESCRIPTOR, data), 0)


def _ordered(descriptor, data: dict) -> dict:
    out = {}
    for f in sorted(descriptor.fields, key=lambda f: f.number):
        if f.json_name not in data:
            continue
        value = data[f.json_name]
        if f.message_type is not None and not f.message_type.GetOptions().map_entry:
            if isinstance(value, list):
                value = [_ordered(f.message_type, v) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                value = _ordered(f.message_type, value)
        out[f.json_name] = value
    return out


def format_number(x) -> str:
    if isinstance(x, bool) or not isinstance(x, float):
        return str(x)
    if math.isnan(x) or math.isinf(x):
        raise ValueError("non-finite numbers are strings in proto3 JSON")
    if x == 0:
        return "0"
    sign, digits, exp = Decimal(repr(x)).normalize().as_tuple()
    ds = "".join(map(str, digits))
    k, n = len(ds), len(ds) + exp   # value = 0.ds * 10^n
    s = "-" if sign else ""
    if k <= n <= 21:
        return s + ds + "0" * (n - k)
    if 0 < n <= 21:
        return s + ds[:n] + "." + ds[n:]
    if -6 < n <= 0:
        return s + "0." + "0" * (-n) + ds
    e = n - 1
    mant = ds[0] + ("." + ds[1:] if k > 1 else "")
    return f"{s}{mant}e{'+' if e >= 0 else '-'}{abs(e)}"


def _write(v, depth: int) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_write(x, depth + 1)}" for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[\n" + ",\n".join(inner + _write(x, depth + 1) for x in v) + "\n" + pad + "]"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return format_number(v)
