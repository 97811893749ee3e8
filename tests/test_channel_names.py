"""Shared code names no channel: what a channel is, it learns from the channel's spec (channels/registry.py).

Read from the source: a comparison with a channel's name (`channel == "sms"`, `channel in ("x", ...)`), a
keyword naming a channel (`channel="email"`, `channel__in=[...]`), a channel's name given to a registry lookup or
to `accept`, or a map to one. Outside `channels/<name>/` no name may stand there; inside a channel's own
package (the one its spec's parser lives in) its own names may, and the fallback channel a reply is handed to
(`registry.FALLBACK`). The registry itself, demos and migrations are data and are not read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from anliegen.channels import registry

pytestmark = pytest.mark.nodb

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "anliegen"
NAMES = frozenset(registry.CHANNELS)
LOOKUPS = frozenset(
    {"spec", "find", "sender", "can_send", "identity_kind", "hook", "refusal", "ready", "parser", "recorder"}
    | {"send_many", "prepare_public", "answering", "accept"}
)


def is_data(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return (
        "migrations" in parts
        or "tests" in parts
        or "demo_data" in parts
        or path.stem.startswith("demo")
        or parts == ("channels", "registry.py")
    )


def own_names(path: Path) -> frozenset[str]:
    """The channels whose own package `path` lies in (their spec's parser is there), and the fallback."""
    parts = path.relative_to(PACKAGE).parts
    if parts[0] != "channels" or len(parts) < 3:
        return frozenset()
    here = f"anliegen.channels.{parts[1]}."
    own = {s.name for s in registry.specs() if s.parse.startswith(here)}
    return frozenset(own | {registry.FALLBACK}) if own else frozenset()


def named(node: ast.AST | None) -> set[str]:
    """The channel names a literal spells: a string, or the strings of a tuple, list or set."""
    values = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return {v.value for v in values if isinstance(v, ast.Constant) and v.value in NAMES}


def names_used(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Compare):
        found = set()
        for op, left, right in zip(node.ops, [node.left, *node.comparators[:-1]], node.comparators, strict=True):
            if isinstance(op, ast.Eq | ast.NotEq):
                found |= named(left) | named(right)
            elif isinstance(op, ast.In | ast.NotIn) and not isinstance(right, ast.Constant):
                found |= named(right)  # `"email" in form.errors` asks for a key, not a channel
        return found
    if isinstance(node, ast.keyword) and node.arg and "channel" in node.arg:
        return named(node.value)
    if isinstance(node, ast.Call) and node.args:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        return named(node.args[0]) if name in LOOKUPS else set()
    if isinstance(node, ast.Dict):  # a map to a channel (a field named "email" in a form's data is no channel)
        return {v.value for v in node.values if isinstance(v, ast.Constant) and v.value in NAMES}
    if isinstance(node, ast.MatchValue):
        return named(node.value)
    return set()


def channel_names(path: Path) -> list[str]:
    allowed = own_names(path)
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {', '.join(sorted(found))}"
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if (found := names_used(node) - allowed)
    ]


def test_shared_code_names_no_channel():
    found = [line for path in sorted(PACKAGE.rglob("*.py")) if not is_data(path) for line in channel_names(path)]
    assert found == [], "ask the channel's spec instead of naming it:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('if channel == "sms":\n    pass', {"sms"}),
        ('ok = message.channel in ("whatsapp", "telegram")', {"whatsapp", "telegram"}),
        ('Message.objects.filter(channel__in=["x", "chat"])', {"x", "chat"}),
        ('registry.sender("email")', {"email"}),
        ('accept("webform", key, raw, {})', {"webform"}),
        ('CHANNEL = {Provider.X: "x"}', {"x"}),
        ('raw = {"email": address, "phone": ""}', set()),
        ('match channel:\n    case "phone":\n        pass', {"phone"}),
        ('if "email" in form.errors:\n    pass', set()),
        ('data["email"] = address', set()),
        ("registry.spec(CHANNEL)", set()),
    ],
)
def test_the_scan_finds_a_channel_named_in_code(source, found):
    assert set().union(*(names_used(node) for node in ast.walk(ast.parse(source)))) == found
