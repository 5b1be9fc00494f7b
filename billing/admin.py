"""Staff views of billing: customers, subscriptions, Stripe events, and granting a tier."""

from django.contrib import admin

from billing.models import (
    Customer,
    LifetimePurchase,
    OfferDismissal,
    StaffGrant,
    Subscription,
    WebhookEvent,
)


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    can_delete = False
    fields = ("stripe_id", "status", "trial_end", "current_period_end", "cancel_at", "refreshed_at")
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("user", "stripe_id", "trial_used_at", "created_at")
    search_fields = ("user__email", "user__id", "stripe_id")
    readonly_fields = ("user", "stripe_id", "trial_used_at", "created_at")
    inlines = [SubscriptionInline]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("stripe_id", "customer", "status", "current_period_end", "refreshed_at")
    list_filter = ("status",)
    search_fields = ("stripe_id", "customer__stripe_id", "customer__user__email")
    readonly_fields = [field.name for field in Subscription._meta.fields]


@admin.register(LifetimePurchase)
class LifetimePurchaseAdmin(admin.ModelAdmin):
    list_display = ("payment_intent_id", "customer", "paid_at", "refunded_at")
    search_fields = ("payment_intent_id", "checkout_session_id", "customer__user__email")
    readonly_fields = [field.name for field in LifetimePurchase._meta.fields]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("stripe_id", "type", "object_id", "customer", "outcome", "received_at")
    list_filter = ("type",)
    search_fields = (
        "stripe_id",
        "type",
        "object_id",
        "customer__stripe_id",
        "customer__user__email",
    )
    readonly_fields = [field.name for field in WebhookEvent._meta.fields]


@admin.register(StaffGrant)
class StaffGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "tier", "reason", "expires_at", "granted_by", "created_at")
    list_filter = ("tier",)
    search_fields = ("user__email", "reason")
    autocomplete_fields = ("user",)
    fields = ("user", "tier", "reason", "expires_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(OfferDismissal)
class OfferDismissalAdmin(admin.ModelAdmin):
    list_display = ("user", "offer", "dismissed_at")
    search_fields = ("user__email",)
