"""The sandbox shops' own templates run in: they can change nothing and do little work.

A shop's template is code that runs, in a warm container, between other shops' sends. So:
- nothing it is given can be changed (Jinja's immutable sandbox refuses ``dict.update``,
  ``list.append``... and each render gets its own copy of the context anyway);
- the language is narrowed to what an email needs: no macros, imports, includes, call or
  filter blocks, ``namespace()`` or recursive loops; loops nest two deep at most; only the
  filters and string methods listed below; ``range()`` of at most :data:`MAX_RANGE`;
- repetition (``'x' * n``, ``**``) is bounded, and the output is cut off past
  :data:`MAX_OUTPUT_CHARS` or :data:`RENDER_SECONDS`.
Whatever breaks a rule raises :class:`TemplateLimit`, which the upload check turns into a
422 and a send turns into a fallback to the built-in template.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from jinja2 import nodes, pass_eval_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RANGE = 200
MAX_LOOP_DEPTH = 2
MAX_REPEAT_CHARS = 10_000
MAX_OUTPUT_CHARS = 300_000
"""Three times Gmail's 102 KB clipping point: past it nobody reads the email anyway."""
RENDER_SECONDS = 0.5

SAFE_FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
    "rejectattr", "reverse", "round", "select", "selectattr", "sort", "string", "striptags",
    "sum", "title", "trim", "truncate", "unique", "upper", "urlencode", "wordcount",
})  # fmt: skip
SAFE_STRING_METHODS = frozenset({
    "capitalize", "casefold", "endswith", "isdigit", "lower", "lstrip", "rstrip", "split",
    "startswith", "strip", "title", "upper",
})  # fmt: skip
_FORBIDDEN_NODES: dict[type[nodes.Node], str] = {
    nodes.Macro: "macros", nodes.CallBlock: "call blocks", nodes.FilterBlock: "filter blocks",
    nodes.Import: "imports", nodes.FromImport: "imports", nodes.Include: "includes",
    nodes.Extends: "extends", nodes.NSRef: "namespace()", nodes.Scope: "scoped blocks",
}  # fmt: skip


class TemplateLimit(SecurityError):
    """A shop template did something the sandbox does not allow."""


def _bounded_range(*arguments: int) -> range:
    numbers = range(*arguments)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() of more than {MAX_RANGE} numbers")
    return numbers


def _bounded_join(join: Callable[..., Any]) -> Callable[..., Any]:
    """``join``, refused before it runs when its result would pass :data:`MAX_OUTPUT_CHARS`
    (a 100 KB literal split into a list and joined with itself is 10 GB)."""

    @pass_eval_context
    def bounded(context: Any, value: Any, separator: str = "", attribute: Any = None) -> Any:
        items = list(value)
        size = sum(len(str(item)) for item in items) + len(str(separator)) * max(len(items) - 1, 0)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateLimit(f"join() beyond {MAX_OUTPUT_CHARS} characters")
        return join(context, items, separator, attribute)

    return bounded


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        return sum(max(_size(item), 1) for item in value)
    return 1


class ShopSandbox(ImmutableSandboxedEnvironment):
    """The environment of a shop's templates; :func:`check_tree` runs on each parse."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: f for name, f in self.filters.items() if name in SAFE_FILTERS}
        self.filters["join"] = _bounded_join(self.filters["join"])
        self.globals = {"range": _bounded_range, "dict": dict}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (abs(right) > 64 if isinstance(right, int | float) else True):
            raise TemplateLimit("powers above 64")
        if operator == "*" and isinstance(right, int) and _size(left) * right > MAX_REPEAT_CHARS:
            raise TemplateLimit(f"repetition beyond {MAX_REPEAT_CHARS} characters")
        if operator == "*" and isinstance(left, int) and _size(right) * left > MAX_REPEAT_CHARS:
            raise TemplateLimit(f"repetition beyond {MAX_REPEAT_CHARS} characters")
        if operator == "%" and isinstance(left, str):  # '%0999999999d' % 1 is a gigabyte
            raise TemplateLimit("%-formatting of strings is not allowed in a shop template")
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT_CHARS:
            raise TemplateLimit(f"strings beyond {MAX_OUTPUT_CHARS} characters")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not _callable_allowed(__obj):
            name = getattr(__obj, "__name__", type(__obj).__name__)
            raise TemplateLimit(f"calling {name}() is not allowed in a shop template")
        return super().call(__context, __obj, *args, **kwargs)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        check_tree(tree)
        return tree


def _callable_allowed(target: Any) -> bool:
    if target in (_bounded_range, dict):
        return True
    owner = getattr(target, "__self__", None)
    if isinstance(owner, str):
        return getattr(target, "__name__", "") in SAFE_STRING_METHODS
    return isinstance(owner, LoopContext) and getattr(target, "__name__", "") == "cycle"


def check_tree(tree: nodes.Template) -> None:
    """Refuse the constructs :class:`ShopSandbox` does not run (see the module's docstring)."""
    for node_type, what in _FORBIDDEN_NODES.items():
        if next(tree.find_all(node_type), None) is not None:
            raise TemplateLimit(f"{what} are not allowed in a shop template")
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            raise TemplateLimit("recursive loops are not allowed in a shop template")
    if _loop_depth(tree) > MAX_LOOP_DEPTH:
        raise TemplateLimit(f"loops nest at most {MAX_LOOP_DEPTH} deep in a shop template")


def _loop_depth(node: nodes.Node) -> int:
    inner = max((_loop_depth(child) for child in node.iter_child_nodes()), default=0)
    return inner + 1 if isinstance(node, nodes.For) else inner


def bounded_render(generate: Callable[[], Iterator[str]], clock: Callable[[], float] = time.monotonic) -> str:
    """Join a template's output, stopped past :data:`MAX_OUTPUT_CHARS` or :data:`RENDER_SECONDS`.

    The time limit holds even for a loop that prints nothing: a line tracer, set on the
    compiled template's frames only, checks the clock as the loop runs (any thread).
    """
    deadline = clock() + RENDER_SECONDS

    def in_template(frame: FrameType, event: str, _: Any) -> Any:
        if clock() > deadline:
            raise TemplateLimit(f"rendering took more than {RENDER_SECONDS} s")
        return in_template

    def on_call(frame: FrameType, event: str, _: Any) -> Any:
        return in_template if frame.f_code.co_filename.startswith("<") else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        size, parts = 0, []
        for part in generate():
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"output beyond {MAX_OUTPUT_CHARS} characters")
            parts.append(part)
    finally:
        sys.settrace(previous)
    if clock() > deadline:
        raise TemplateLimit(f"rendering took more than {RENDER_SECONDS} s")
    return "".join(parts)
