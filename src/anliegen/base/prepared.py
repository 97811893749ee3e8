"""Queries a page runs on every view, compiled to SQL once per connection and shape instead of on every request.

Building a queryset and compiling it costs ~0.5 ms of Django's work per query (joins, selected columns, lookups,
ordering), the same work on every view; executing it costs a tenth of that. A `Prepared` query is built once with
stand-in values, compiled, and then run with each view's values put where the stand-ins were: the same SQL, the
same converters and model instances, prefetches and all, as the queryset itself gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stand-ins are ints no id can be: negative, and inside a 32-bit column's range (a lookup with a value beyond its
# column's range is decided in Python, not sent), and strings no text is. Only ints and strings (and lists of them)
# are bound; everything else the query needs is part of its shape.
_FIRST_STAND_IN = -1_000_000_000
# Mixed case and blanks at either end: a field that lowercases, uppercases or strips its values changes it, and is
# then refused (its stand-in is not found among the parameters) instead of being sent real values unchanged.
_STR_STAND_IN = " Prepared Stand-In {} "
_NOT_YET = object()
_SMALLEST, _LARGEST = -(2**31), 2**31 - 1  # a 32-bit column's range: lookups within it are always sent


class Prepared:
    """`build(**values)` returns the queryset for those values; `Prepared(build)(**values)` its rows as a list.

    The values are ints or strings, or lists of them (a list's length is part of the shape: `IN (%s, %s)`). A value
    must reach the SQL's parameters unchanged (an id, an exact text match); one that a lookup turns into something
    else (`icontains`' `%...%`, a number compared with a text column) is refused when the query is first compiled.
    """

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build

    def __call__(self, **values: Value) -> list[Any]:
        if not all(_in_range(v) for v in values.values()):
            # A value beyond a 32-bit column (an id from a URL): Django decides such lookups in Python.
            return list(self.build(**values))
        shape = tuple((name, _kinds(v)) for name, v in sorted(values.items()))
        # Per connection: a compiler belongs to its connection (one per thread), and so does its SQL's dialect.
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = connection.__dict__.setdefault("_prepared_queries", {})
        found = compiled.get((self, shape), _NOT_YET)
        if found is _NOT_YET:
            stand_ins = _stand_ins(values)
            try:
                found = _Compiled(self.build(**stand_ins), connection, stand_ins)
            except EmptyResultSet:  # e.g. `IN ()` of an empty list: no rows whatever the values
                found = None
            compiled[(self, shape)] = found
        return found.run(values) if found is not None else []


Value = int | str | list[int] | list[str]


def _in_range(value: Value) -> bool:
    values = value if isinstance(value, list | tuple) else [value]
    return all((type(v) is int and _SMALLEST <= v <= _LARGEST) or type(v) is str for v in values)


def _kinds(value: Value) -> tuple[type, ...] | type:
    """The shape of a value: its type, or its items' types (a list's length and kinds of items)."""
    return tuple(type(v) for v in value) if isinstance(value, list | tuple) else type(value)


def _stand_ins(values: dict[str, Value]) -> dict[str, Value]:
    """A distinct stand-in for every value (and every item of a list), the same ones for every call of a shape."""
    out: dict[str, Any] = {}
    n = _FIRST_STAND_IN
    for name, value in sorted(values.items()):
        items = value if isinstance(value, list | tuple) else [value]
        stand_ins = [n - i if type(v) is int else _STR_STAND_IN.format(n - i) for i, v in enumerate(items)]
        n -= len(items)
        out[name] = stand_ins if isinstance(value, list | tuple) else stand_ins[0]
    return out


class _Compiled:
    """One compiled shape: its SQL, the parameter positions each value goes to, and the compiler that reads rows."""

    def __init__(self, queryset: QuerySet, connection: Any, stand_ins: dict[str, Value]) -> None:
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        wanted: dict[int | str, tuple[str, int | None]] = {}
        for name, stand_in in stand_ins.items():
            if isinstance(stand_in, list):
                wanted |= {s: (name, i) for i, s in enumerate(stand_in)}
            else:
                wanted[stand_in] = (name, None)
        self.slots = [(i, wanted[p]) for i, p in enumerate(self.params) if type(p) in (int, str) and p in wanted]
        # Every value must have gone into the parameters (a lookup may have turned it into something else).
        missing = set(wanted.values()) - {slot for _i, slot in self.slots}
        if missing:
            raise ValueError(f"values not sent as parameters, cannot be prepared: {sorted(missing, key=str)}")
        # The compiler was set up by as_sql (columns, converters, related models); later runs only change params.
        self.bound: tuple = ()
        self.compiler.as_sql = lambda *args, **kwargs: (self.sql, self.bound)

    def run(self, values: dict[str, Value]) -> list[Any]:
        params = self.params.copy()
        for index, (name, position) in self.slots:
            value = values[name]
            params[index] = value if position is None else value[position]
        self.bound = tuple(params)
        # A shallow copy of the unevaluated queryset (copy.copy would evaluate it: QuerySet.__getstate__).
        runner = QuerySet.__new__(type(self.queryset))
        runner.__dict__.update(self.queryset.__dict__)
        runner._query = _BoundQuery(self.queryset.query, self.compiler)
        return list(runner)


class _BoundQuery:
    """The prepared queryset's query, answering for its compiler; everything else is the query's own."""

    def __init__(self, query: Any, compiler: Any) -> None:
        self._query = query
        self._compiler = compiler

    def get_compiler(self, *args: Any, **kwargs: Any) -> Any:
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)
