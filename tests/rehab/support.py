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


def field_group_text(root, name: str) -> str:
    """The text of the field group (label or legend, help, errors, inputs) below `root` that holds
    the input called `name`."""
    import html

    for element in elements(root):
        classes = (dict(element.attributes).get("class") or "").split()
        if "field" in classes and any(dict(e.attributes).get("name") == name for e in elements(element)):
            return html.unescape(text(element))
    raise AssertionError(f"no field group holds an input named {name!r}")


def text_of(response) -> str:
    import html

    return html.unescape(response.content.decode())
