"""Shared by the rehab view tests: the frozen moment and small helpers to read rendered HTML."""

from datetime import UTC, datetime

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


def elements(node):
    """Every element below a `django.test.html` node, depth first."""
    from django.test.html import Element

    for child in getattr(node, "children", ()):
        if isinstance(child, Element):
            yield child
            yield from elements(child)


def text(node) -> str:
    return " ".join(child if isinstance(child, str) else text(child) for child in node.children)
