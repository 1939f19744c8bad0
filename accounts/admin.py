from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class ITBUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("ITB Care", {"fields": ("time_zone", "health_consent_version", "health_consent_at")}),
    )
    readonly_fields = ("health_consent_version", "health_consent_at")
