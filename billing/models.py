"""What billing keeps: the least needed to answer "what may this person do" without asking Stripe.

Stripe stays the truth (webhooks are triggers, the objects are fetched again); these rows are a
cache of its answers with the time each was last read (`refreshed_at`), so the nightly
reconciliation knows which to ask about again. No card, address or name is stored here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Customer(models.Model):
    """One per user, made before the first checkout; `stripe_id` is filled once, under a lock."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_customer"
    )
    stripe_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # One trial per person, ever: set when a subscription with a trial is first seen.
    trial_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.stripe_id or f"(no Stripe customer yet) {self.user_id}"


class SubscriptionStatus(models.TextChoices):
    # Stripe's own statuses: https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    UNPAID = "unpaid"
    PAUSED = "paused"


class Subscription(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="subscriptions")
    stripe_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=24, choices=SubscriptionStatus.choices)
    trial_end = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # When Stripe first said `past_due` in this stretch: the grace period counts from here.
    past_due_since = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "refreshed_at"])]

    def __str__(self) -> str:
        return f"{self.stripe_id} ({self.status})"

    @property
    def is_ended(self) -> bool:
        """Stripe never brings these back: a later, older-looking answer cannot revive them."""
        return self.status in (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)


class LifetimePurchase(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="purchases")
    checkout_session_id = models.CharField(max_length=255, unique=True)
    payment_intent_id = models.CharField(max_length=255, unique=True)
    amount_cents = models.PositiveIntegerField()
    paid_at = models.DateTimeField(default=timezone.now)
    refunded_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Lifetime {self.payment_intent_id}"


class WebhookEvent(models.Model):
    """Each Stripe event id once (the unique constraint is the guard), with what we did."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=255, blank=True, db_index=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    outcome = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"


class GrantTier(models.TextChoices):
    PREMIUM = "premium", "Premium"
    LIFETIME = "lifetime", "Lifetime"


class StaffGrant(models.Model):
    """A tier given by staff (a thank-you, a support case), always with a reason and an end."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_grants"
    )
    tier = models.CharField(max_length=16, choices=GrantTier.choices)
    reason = models.CharField(max_length=300)
    expires_at = models.DateTimeField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_tier_display()} until {self.expires_at:%Y-%m-%d}"


class OfferDismissal(models.Model):
    """An upgrade offer the person closed: that offer stays quiet for them from then on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_dismissals"
    )
    offer = models.CharField(max_length=16)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "offer"], name="billing_offer_dismissed_once")
        ]

    def __str__(self) -> str:
        return f"{self.offer} offer closed"
