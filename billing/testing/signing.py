"""Stripe's webhook signing, done exactly as Stripe does it, for events the tests deliver.

https://docs.stripe.com/webhooks#verify-manually: the header is `t=<unix time>,v1=<signature>`,
the signature HMAC-SHA256 keyed with the endpoint's secret over `f"{t}.{payload}"`.
"""

import hashlib
import hmac
import json
import secrets
import time

import stripe


def stripe_signature(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header as Stripe sends it: `t=<unix>,v1=<hex>`, where v1 is
    HMAC-SHA256 keyed with the endpoint secret over `f"{t}.{payload}"`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={signed.hexdigest()}"


def event_payload(event_type: str, data_object: dict, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "id": event_id or f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": stripe.api_version,
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": event_type,
            "data": {"object": data_object},
        }
    )
