"""The session engine: Django's database sessions, with the signed-in user's id in a column.

https://docs.djangoproject.com/en/5.2/topics/http/sessions/#extending-database-backed-session-engines
"""

import uuid

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = uuid.UUID(str(data.get(SESSION_KEY)))
        except ValueError:
            session.user_id = None
        return session
