"""Billing: Free, Premium (monthly, a 14-day trial once per person) and Lifetime, on Stripe.

- `plans.py` is the one place for prices, features, limits, the grace period and the offer
  ladder; `selectors.entitlements_for(user=...)` is what every other app asks.
- Stripe is the truth. `services/stripe_state.py` fetches an object again and stores it under
  the customer's row lock; webhooks (`services/webhooks.py`, the pretix way), the return from
  Checkout and the nightly reconciliation (`tasks.reconcile_subscriptions`) all go through it.
- Accounts never imports billing: billing fills `accounts.extensions` (`/me`'s `tier`,
  `features`, `limits`, `billing`; the export; deletion and erasure hooks) in `apps.py`.
  Billing never imports progression: progression tells billing the level through
  `billing.extensions.level_sources`, and billing decides the offer.
- Tests speak real HTTP with the real SDK to localstripe and our double (`testing/`).
"""
