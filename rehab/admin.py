from django.contrib import admin

from .models import Check, Completion, DailyLog, Exercise, Plan


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    """The exercise library's words are content: editable here (the slug is a contract: never rename
    it). When an exercise is due is a clinical rule in `rehab/schedule.py`, shown read-only."""

    list_display = ("order", "name", "slug", "kind", "schedule")
    list_display_links = ("name",)
    list_filter = ("kind",)
    search_fields = ("name", "slug")

    @admin.display(description="When it is due (rehab/schedule.py)")
    def schedule(self, obj: Exercise) -> str:
        return obj.schedule

    def get_readonly_fields(self, request, obj=None):
        return ("slug", "schedule") if obj else ("schedule",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """People's health records: staff may look (to help someone), never edit."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DailyLogInline(admin.TabularInline):
    model = DailyLog
    extra = 0
    can_delete = False
    fields = ("date", "pain_worst", "pain_morning", "rested", "session_done", "pain_during", "swelling")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("user", "start_date", "activity", "created_at")
    readonly_fields = ("user", "screening", "start_date", "activity", "created_at")
    inlines = [DailyLogInline]


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    list_display = ("plan", "date", "daily_pain", "walk_30", "squat_pain", "hop_pain")


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdmin):
    list_display = ("plan", "date", "exercise")
