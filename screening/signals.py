from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import OWNED_KEY, attach_anonymous_screenings


@receiver(user_logged_in, dispatch_uid="screening_attach_anonymous")
def attach_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        attach_anonymous_screenings(user=user, owned_ids=request.session.pop(OWNED_KEY, []))
