from django.contrib import admin

from .models import Screening


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    """Read-only: a screen is a record of what a person answered and what the rules said."""

    list_display = ("taken_at", "outcome", "version", "user")
    list_filter = ("outcome", "version")
    date_hierarchy = "taken_at"
    fields = ("id", "user", "taken_at", "version", "outcome", "reasons", "answers")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
