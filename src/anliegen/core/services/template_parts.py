"""Templates rendered once per shape with their values left as slots, then filled per call: Django's exact text.

A confirmation is the same text for every case of a language except a dozen values (the name, the subject, the
reply address, the due time, the link). Rendering the whole Django template per mail costs ~1 ms a part; here each
template is rendered once per language and *shape* (which values are present, and which are false, with those
false values themselves), every true value replaced by a marker, and each call only puts its values in, escaped
as Django would have escaped them at that spot.

This is exact because the templates it takes are checked node by node first: text, variables, `if` with
and/or/not, `translate` of a literal and `blocktranslate` without plural or counter. There a value reaches the
output only through `render_value_in_context` (an output or a blocktranslate placeholder) and its truth in an
`if`, nothing else. A filter on a value (`due|date:"DATETIME_FORMAT"`) is taken out of the skeleton and applied
per call to the real value. Any other template (a loop, a comparison, `with`, a filter that looks at the
escaping) is rendered by Django as before, and so is any call whose values this cannot stand in for.
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.template import Context, Template, Variable, VariableDoesNotExist
from django.template.base import FilterExpression, TextNode, VariableNode, render_value_in_context
from django.template.defaulttags import AutoEscapeControlNode, CommentNode, IfNode, LoadNode, TemplateLiteral
from django.template.loader import get_template
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation

# Per process and unguessable: no template text or translation can contain a marker by chance.
_NONCE = secrets.token_hex(8)
_MARK = re.compile(f"\ue000{_NONCE}:(\\d+)([\ue001\ue002])")
_RAW, _ESCAPED = Context(autoescape=False), Context(autoescape=True)
_MISSING = object()
_FALSY_TYPES = (type(None), str, int, bool, float)
_SKELETONS_MAX = 4096


class _Unsupported(Exception):
    """The template (or this call's values) cannot be filled exactly: Django renders it."""


class _Marker(str):
    """A true value in the skeleton: its text where output is not escaped, a second form where it is."""

    def __html__(self) -> str:
        return self[:-1] + "\ue002"


class _SlotVar:
    """Stands in a skeleton for a filtered value: the filters run per call on the real value (Plan.exprs)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def resolve(self, context: Context) -> object:
        return context[self.key]


@dataclass
class _Plan:
    template: Template  # the loader's compiled template this plan was made from
    skeleton: Template | None  # a copy with filtered values replaced by slots; None: Django renders it
    leaves: list[str] = field(default_factory=list)  # context keys used as a whole
    paths: list[tuple[str, ...]] = field(default_factory=list)  # dotted lookups (contact.name)
    path_vars: list[Variable] = field(default_factory=list)  # the same, compiled once
    exprs: list[tuple[str, FilterExpression, bool]] = field(default_factory=list)  # (slot key, original, in an if)
    skeletons: dict[tuple, tuple[list[str], list[tuple[int, str]]]] = field(default_factory=dict)


_plans: dict[str, _Plan] = {}


def render(name: str, context: dict, memo: dict | None = None) -> str:
    """`get_template(name).render(context)`, from the template's skeleton for this shape where it has one.

    `memo`: shared by the calls for one context in one language (a mail's text and HTML part), so that a
    filtered value both use (the due time) is formatted once."""
    wrapper = get_template(name)
    plan = _plans.get(name)
    if plan is None or plan.template is not wrapper.template:
        plan = _plans[name] = _make_plan(wrapper.template)
    if plan.skeleton is not None:
        try:
            return _fill(plan, context, memo)
        except _Unsupported:
            pass
    return wrapper.render(context)


def supported(name: str) -> bool:
    """Whether `name` is rendered from skeletons (the tests check that confirmations are)."""
    wrapper = get_template(name)
    return _make_plan(wrapper.template).skeleton is not None


# -- per call ------------------------------------------------------------------------------------------------


def _fill(plan: _Plan, context: dict, memo: dict | None = None) -> str:
    values = _values(plan, context, {} if memo is None else memo)
    shape = tuple(_state(value) for value in values)
    key = (translation.get_language(), shape)
    parts = plan.skeletons.get(key)
    if parts is None:
        if len(plan.skeletons) >= _SKELETONS_MAX:
            plan.skeletons.clear()
        parts = plan.skeletons[key] = _skeleton(plan, values)
    texts, refs = parts
    out = [texts[0]]
    for (index, mode), text in zip(refs, texts[1:], strict=True):
        out.append(render_value_in_context(values[index], _RAW if mode == "\ue001" else _ESCAPED))
        out.append(text)
    return "".join(out)


def _values(plan: _Plan, context: dict, memo: dict) -> list[object]:
    """Every slot's value as the template would see it, in slot order: leaves, paths, filtered values."""
    real = Context(context)
    real.template = plan.skeleton  # string_if_invalid for lookups that fail, as in the real render
    values: list[object] = []
    for key in plan.leaves:
        value = context.get(key, _MISSING)
        if callable(value):
            raise _Unsupported(key)  # a variable would call it and a blocktranslate would not
        values.append(value)
    try:
        for variable in plan.path_vars:
            try:
                values.append(variable.resolve(real))
            except VariableDoesNotExist:
                values.append(_MISSING)
        for _key, original, in_if in plan.exprs:
            # The same text with the same filters on the same context: the same value.
            found = (original.token, in_if, *(func for func, _args in original.filters))
            if found not in memo:
                memo[found] = original.resolve(real, ignore_failures=in_if)
            values.append(memo[found])
    except Exception as exc:  # noqa: BLE001 - Django's own render raises (or renders) it the same way
        raise _Unsupported(str(exc)) from exc
    return values


def _state(value: object) -> object:
    if value is _MISSING:
        return "missing"
    if value:
        return True
    if type(value) not in _FALSY_TYPES:
        raise _Unsupported(type(value).__name__)
    return (type(value).__name__, value)


def _skeleton(plan: _Plan, values: list[object]) -> tuple[list[str], list[tuple[int, str]]]:
    def slot(index: int) -> object:
        value = values[index]
        return _Marker(f"\ue000{_NONCE}:{index}\ue001") if value else value

    stand_in: dict[str, object] = {}
    index = 0
    for key in plan.leaves:
        if values[index] is not _MISSING:
            stand_in[key] = slot(index)
        index += 1
    for path in plan.paths:
        if values[index] is not _MISSING:
            node = stand_in.setdefault(path[0], SimpleNamespace())
            for bit in path[1:-1]:
                node = getattr(node, bit, None) or _set(node, bit, SimpleNamespace())
            setattr(node, path[-1], slot(index))
        index += 1
    for key, _original, _in_if in plan.exprs:
        stand_in[key] = slot(index)
        index += 1
    text = plan.skeleton.render(Context(stand_in, autoescape=plan.skeleton.engine.autoescape))
    pieces = _MARK.split(text)
    texts = pieces[0::3]
    refs = [(int(i), mode) for i, mode in zip(pieces[1::3], pieces[2::3], strict=True)]
    return texts, refs


def _set(node: object, bit: str, value: object) -> object:
    setattr(node, bit, value)
    return value


# -- once per template ---------------------------------------------------------------------------------------


def _make_plan(template: Template) -> _Plan:
    skeleton = Template(template.source, template.origin, template.name, template.engine)
    plan = _Plan(template=template, skeleton=skeleton)
    roots: dict[str, str] = {}
    try:
        _walk(skeleton.nodelist, plan, roots)
        paths = set(plan.paths)
        if any(path[:n] in paths for path in paths for n in range(1, len(path))):
            raise _Unsupported("a lookup is both a value and a container")
    except _Unsupported:
        return _Plan(template=template, skeleton=None)
    return plan


def _walk(nodelist: list, plan: _Plan, roots: dict[str, str]) -> None:
    for node in nodelist:
        kind = type(node)
        if kind in (TextNode, LoadNode, CommentNode):
            continue
        if kind is AutoEscapeControlNode:
            _walk(node.nodelist, plan, roots)
        elif kind is VariableNode:
            _expression(node.filter_expression, plan, roots, in_if=False)
        elif kind is IfNode:
            for condition, body in node.conditions_nodelists:
                if condition is not None:
                    _condition(condition, plan, roots)
                _walk(body, plan, roots)
        elif kind is TranslateNode:
            fe = node.filter_expression
            if node.asvar or node.message_context or fe.filters or getattr(fe.var, "lookups", None) is not None:
                raise _Unsupported("translate of a variable")
        elif kind is BlockTranslateNode:
            _block_translate(node, plan, roots)
        else:
            raise _Unsupported(kind.__name__)


def _block_translate(node: BlockTranslateNode, plan: _Plan, roots: dict[str, str]) -> None:
    if node.plural or node.countervar or node.counter or node.asvar or node.message_context:
        raise _Unsupported("blocktranslate with plural, counter, context or asvar")
    for value in node.extra_context.values():
        _expression(value, plan, roots, in_if=False)
    for token in node.singular:
        if token.token_type.name == "VAR" and token.contents not in node.extra_context:
            _leaf(token.contents, plan, roots)


def _condition(condition: object, plan: _Plan, roots: dict[str, str]) -> None:
    if isinstance(condition, TemplateLiteral):
        _expression(condition.value, plan, roots, in_if=True)
        return
    op = getattr(condition, "id", None)
    if op in ("and", "or"):
        _condition(condition.first, plan, roots)
        _condition(condition.second, plan, roots)
    elif op == "not":
        _condition(condition.first, plan, roots)
    else:
        raise _Unsupported(f"condition with {op!r}")  # a comparison needs the value, not only its truth


def _expression(fe: FilterExpression, plan: _Plan, roots: dict[str, str], *, in_if: bool) -> None:
    looks_up = fe.is_var and fe.var.lookups is not None
    args_look_up = any(lookup for _func, args in fe.filters for lookup, _arg in args)
    if not fe.filters:
        if looks_up:
            lookups = fe.var.lookups
            if len(lookups) == 1:
                _leaf(lookups[0], plan, roots)
            else:
                _root(lookups[0], "tree", roots)
                if lookups not in plan.paths:
                    plan.paths.append(lookups)
                    plan.path_vars.append(Variable(".".join(lookups)))
        return
    if not looks_up and not args_look_up:
        return  # a literal through filters: the same in every call
    if any(getattr(func, "needs_autoescape", False) for func, _args in fe.filters):
        raise _Unsupported("a filter that depends on the escaping")
    key = f"\ue000slot{len(plan.exprs)}"
    plan.exprs.append((key, copy.copy(fe), in_if))
    fe.var, fe.filters, fe.is_var = _SlotVar(key), [], True


def _leaf(name: str, plan: _Plan, roots: dict[str, str]) -> None:
    if name in ("True", "False", "None"):
        raise _Unsupported("a built-in constant")
    _root(name, "leaf", roots)
    if name not in plan.leaves:
        plan.leaves.append(name)


def _root(name: str, kind: str, roots: dict[str, str]) -> None:
    if roots.setdefault(name, kind) != kind:
        raise _Unsupported(f"{name} is used both as a value and as a container")
