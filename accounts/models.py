import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.timezone import now


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **fields):
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email=email, password=password, **fields)


def new_friend_code() -> str:
    return secrets.token_hex(5)


def new_public_handle() -> str:
    # Only migration 0001 still names this (the field went in 0005: boards show social's
    # Pseudonym, the one `Anonymous_NNNN` a user has).
    return f"{secrets.randbelow(10_000):04d}"


class LeaderboardVisibility(models.TextChoices):
    HIDDEN = "hidden", "Hidden"
    ANONYMOUS = "anonymous", "Anonymous"
    NAMED = "named", "Named"


class User(AbstractBaseUser, PermissionsMixin):
    """A person, or an anonymous extension install that may later be claimed with an email."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Optional: anonymous accounts have none. Several NULLs are allowed by the unique index.
    email = models.EmailField(unique=True, null=True, blank=True)
    display_name = models.CharField(max_length=40, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    friend_code = models.CharField(max_length=16, unique=True, default=new_friend_code)

    # Privacy: every default is the closed one (CONTRACT.md, "privacy").
    share_progress = models.BooleanField(default=False)
    share_streaks = models.BooleanField(default=False)
    allow_friend_requests = models.BooleanField(default=False)
    data_retention_days = models.PositiveIntegerField(default=365)
    leaderboard_global = models.CharField(
        max_length=10, choices=LeaderboardVisibility.choices, default=LeaderboardVisibility.HIDDEN
    )
    leaderboard_friends = models.BooleanField(default=False)
    leaderboard_company = models.BooleanField(default=False)

    # When the user opted in to sync (CONTRACT.md "Sync"): the gate for more devices,
    # leaderboards and challenges. Set once by `user_sync_enable`, never cleared by it.
    sync_enabled_at = models.DateTimeField(null=True, blank=True)

    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["-date_joined"]

    def __str__(self) -> str:
        return self.email or self.display_name or f"Anonymous {str(self.id)[:8]}"

    @property
    def is_anonymous_account(self) -> bool:
        return not self.email

    @property
    def is_sync_enabled(self) -> bool:
        return self.sync_enabled_at is not None

    # The name other apps were promised; same fact.
    user_is_sync_enabled = is_sync_enabled


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


class Device(models.Model):
    """One install of the extension (or a browser link); every API token belongs to one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    name = models.CharField(max_length=80)
    platform = models.CharField(max_length=40, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.platform or 'unknown'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SyncCode(models.Model):
    """A short-lived, single-use code (`BM-xxxxxx-xxxxxx`) that joins a device to an account.

    Only the hash is kept: a database leak must not let anyone join someone's account.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sync_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"Sync code until {self.expires_at:%Y-%m-%d %H:%M}"


class DataExportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class DataExport(models.Model):
    """One JSON document of everything the server keeps about a user, built in the background."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(
        max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.PENDING
    )
    created_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Kept in the database so it is erased with the account, like every other row of theirs.
    document = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.status})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == DataExportStatus.READY
            and self.expires_at is not None
            and self.expires_at > now()
        )


class DeletionRequest(models.Model):
    """An account scheduled for erasure, and the hashed one-time code that can undo it.

    Once the account is erased (or restored) the link to the user is cleared: what stays is a
    random id and dates, nothing that points at a person.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deletion_requests",
    )
    restore_code_hash = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(default=now)
    scheduled_for = models.DateTimeField()
    restored_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["scheduled_for"])]

    def __str__(self) -> str:
        return f"Deletion {self.pk} for {self.scheduled_for:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.restored_at is None and self.erased_at is None


class UserSession(AbstractBaseSession):
    """A browser session that also records whose it is, so erasure can find it in SQL."""

    user_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_user_session"

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
