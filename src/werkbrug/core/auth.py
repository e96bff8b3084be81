"""Authentication backend: Django's, with the signed-in person loaded through `principal`.

Almost every request asks for the signed-in person's organisation and roles (the policy, the
access log, the header, the navigation), so they are loaded together — from the cache when
possible (see `principal.py`).
"""

from django.contrib.auth.backends import ModelBackend

from . import principal


class WerkbrugModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = principal.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
