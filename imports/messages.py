"""The words for every reason a file or an activity was not read or not imported."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rehab.services import Skip

PROBLEMS = {
    "empty": _("The file is empty."),
    "not_activity": _("This isn't a GPX, TCX or FIT file, nor a Strava export (.zip)."),
    "unreadable": _("This %(kind)s file is damaged or incomplete, so it couldn't be read."),
    "unreadable_xml": _("This file isn't readable XML, so it couldn't be read."),
    "unreadable_gz": _("This .gz file is damaged, so it couldn't be unpacked."),
    "unreadable_zip": _("This .zip file is damaged, so it couldn't be opened."),
    "unreadable_member": _("This file inside the zip is damaged or packed in a way we can't read."),
    "xml_entities": _(
        "This file declares its own XML entities (a DTD). Activity files never need them, and they can be used "
        "to overload a server, so it wasn't read."
    ),
    "bomb": _(
        "This file unpacks to far more than any activity file (over %(mb)s MB, or over %(ratio)s times its packed "
        "size), so it wasn't unpacked."
    ),
    "total_too_big": _("Together the files unpack to more than %(mb)s MB, so the rest weren't read."),
    "upload_too_big": _("This file is larger than %(mb)s MB."),
    "file_too_big": _("This file is larger than %(mb)s MB, more than any activity file needs."),
    "unsafe_path": _("Its path points outside the export (for example with “..”), so it wasn't read."),
    "encrypted": _("This file inside the zip is password-protected."),
    "zip_in_zip": _("A zip inside the zip isn't read: upload it on its own."),
    "zip_too_many": _("This zip holds %(count)s files; up to %(limit)s are read."),
    "too_many_rows": _("This export lists %(count)s activities: the newest %(limit)s were read."),
    "too_many_activities": _("One import reads up to %(limit)s activities: this one and the rest weren't read."),
    "csv_unreadable": _("activities.csv couldn't be read as Strava's list of activities."),
    "missing_file": _("activities.csv names this file, but it isn't in the zip."),
    "no_id": _("Line %(line)s of activities.csv has no activity ID."),
    "no_times": _("This file has no timestamps, so we can't tell when the activity was."),
    "no_duration": _("This activity has no moving time."),
    "future": _("This activity is dated in the future: check the clock of the device that recorded it."),
    "too_old": _("This activity is dated before 1990: the device's clock was probably not set."),
    "too_short": _("This activity is shorter than a minute."),
    "too_long": _("This activity is %(minutes)s minutes long; a day's log holds activities up to %(limit)s minutes."),
    "too_far": _("This activity is longer than %(limit)s km; a day's log holds up to that."),
    "gave_up": _("Reading these files failed three times, so we stopped. Please try again, or with fewer files."),
    "unexpected": _("Something went wrong while reading these files. Nothing was saved. Please try again."),
}

SKIPS = {
    Skip.ALREADY: _("Already imported"),
    Skip.DUPLICATE: _("Already there: an imported activity of this kind starts within 2 minutes"),
    Skip.IN_UPLOAD: _("Also in this upload (same kind, within 2 minutes)"),
    Skip.SAME_DAY: _("You logged this kind by hand that day: maybe the same one"),
    Skip.FUTURE: _("After today"),
    Skip.NO_LOG: _("Inside your plan on a day you haven't logged: log that day first, then import again"),
    Skip.SESSION_NO: _("That day's log says you had no session: change the log to add it"),
    Skip.FULL: _("That day already has 10 activities"),
    Skip.DAY_MINUTES: _("That day's activities would add up to more than 24 hours"),
    Skip.NEEDS_ANSWERS: _(
        "In build-back this counts as a session: first answer how it went on that day's log (session pain), "
        "then import again"
    ),
}


def problem_text(problem: dict) -> str:
    text = PROBLEMS.get(problem.get("code"), PROBLEMS["unexpected"])
    try:
        return str(text) % (problem.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return str(text)
