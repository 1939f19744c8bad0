"""Choice fields whose form copies share their choices, with the site's widgets (`kit.twins`).

Part of the shared kit: it imports no app."""

from __future__ import annotations

from django import forms

from .twins import CheckboxSelectMultiple, ChoiceButtons, PainScale, Select

__all__ = [
    "CheckboxSelectMultiple",
    "ChoiceButtons",
    "ChoiceField",
    "MultipleChoiceField",
    "PainScale",
    "SharedChoices",
    "TypedChoiceField",
]


class SharedChoices:
    """A choice field whose form copies share its choices (never changed in place here).

    Every form deep-copies its fields; for a choice field that walks every choice, and a log
    page's ~100 choices made that about a millisecond (issue 13). Assigning new choices to a
    form's field still works: it replaces the list, it does not change it.
    """

    #: Read by the field-group memory (`kit.twins._group_key`): these choices are the same list
    #: in every copy of the form, so they can stand in a key.
    shares_choices = True

    def __deepcopy__(self, memo):
        memo[id(self._choices)] = self._choices
        return super().__deepcopy__(memo)


class ChoiceField(SharedChoices, forms.ChoiceField):
    widget = Select


class TypedChoiceField(SharedChoices, forms.TypedChoiceField):
    widget = Select


class MultipleChoiceField(SharedChoices, forms.MultipleChoiceField):
    pass
