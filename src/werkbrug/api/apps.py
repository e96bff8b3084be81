from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "werkbrug.api"
    verbose_name = _("API plumbing")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from .models import tokens_revoke_all

        def revoke_at_sign_out(sender, request, user, **kwargs):
            if user is not None:
                tokens_revoke_all(user)

        # weak=False: a local function would otherwise be collected at once.
        user_logged_out.connect(revoke_at_sign_out, weak=False, dispatch_uid="api-tokens-revoke-at-sign-out")
