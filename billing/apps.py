from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # accounts must not import billing (STYLE.md, "floors"); billing plugs in here.
        from accounts import extensions
        from billing import selectors, services

        extensions.profile_sections["tier"] = lambda user: selectors.plan_for(user=user).key
        extensions.profile_sections["features"] = lambda user: dict(
            selectors.plan_for(user=user).features
        )
        extensions.profile_sections["limits"] = lambda user: dict(
            selectors.plan_for(user=user).limits
        )
        extensions.profile_sections["billing"] = lambda user: selectors.billing_section(user=user)
        extensions.export_sections["billing"] = selectors.export_for_user
        extensions.deletion_hooks.append(_cancel_after_commit)
        extensions.erasure_hooks.append(lambda user: services.customer_erase(user=user))


def _cancel_after_commit(user) -> None:
    """Deletion runs in a transaction: Stripe hears of it only once that has committed."""
    from django.db import transaction

    from billing import tasks

    user_id = str(user.pk)
    transaction.on_commit(lambda: tasks.subscriptions_cancel_for_deletion.delay(user_id))
