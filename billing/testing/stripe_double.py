"""A small Stripe of our own for the tests, in front of localstripe, on one loopback port.

The SDK is pointed here (`STRIPE_API_BASE`). What localstripe implements (customers,
subscriptions, invoices, payment intents, charges, refunds) is passed through to it unchanged;
what it lacks is answered here in Stripe's documented shapes:

- Prices (`GET /v1/prices/{id}`): https://docs.stripe.com/api/prices/object
- Checkout Sessions (`POST/GET /v1/checkout/sessions`): https://docs.stripe.com/api/checkout/sessions/object
- Customer portal sessions (`POST /v1/billing_portal/sessions`):
  https://docs.stripe.com/api/customer_portal/sessions/object
- Invoice payments (`GET /v1/invoice_payments?invoice=`): https://docs.stripe.com/api/invoice-payment/object

and the hosted pages a browser visits: `/checkout/{id}` (a Pay and a Cancel button, both forms)
and `/portal/{id}`. Paying makes the real objects in localstripe (a card, then the subscription
or a confirmed payment intent), marks the session complete, sends `checkout.session.completed`
to `webhook_url` signed as Stripe signs, and redirects to the session's success URL.
"""

import html
import json
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests
import stripe

from billing.testing.signing import event_payload, stripe_signature

PREMIUM_PRICE = "price_breathmaster_premium"
LIFETIME_PRICE = "price_breathmaster_lifetime"
TEST_CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}


class StripeDouble:
    def __init__(self, *, localstripe_url: str, secret_key: str = "sk_test_breathmaster"):
        self.localstripe_url = localstripe_url.rstrip("/")
        self.secret_key = secret_key
        self.webhook_url: str | None = None
        self.webhook_secret = "whsec_test_breathmaster"
        self.sessions: dict[str, dict] = {}
        self.portal_sessions: dict[str, dict] = {}
        self.prices = {
            PREMIUM_PRICE: _price(PREMIUM_PRICE, 499, {"interval": "month", "interval_count": 1}),
            LIFETIME_PRICE: _price(LIFETIME_PRICE, 4999, None),
        }
        self.lock = threading.Lock()
        self._local = threading.local()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.localstripe = stripe.StripeClient(
            secret_key, base_addresses={"api": self.localstripe_url}
        )

    @property
    def http(self) -> requests.Session:
        """One kept-alive session to localstripe per serving thread."""
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    # --- running ---------------------------------------------------------------------------
    def start(self) -> "StripeDouble":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.localstripe.v1.plans.create(
            params={
                "id": PREMIUM_PRICE,
                "amount": 499,
                "currency": "usd",
                "interval": "month",
                "product": {"name": "Breath Master Premium"},
            }
        )
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the API localstripe lacks ----------------------------------------------------------
    def checkout_session_create(self, form: dict) -> dict:
        session_id = f"cs_test_{secrets.token_hex(12)}"
        price = self.prices.get(form.get("line_items[0][price]", ""))
        if price is None or form.get("mode") not in ("subscription", "payment"):
            raise _StripeUserError("No such price, or an unknown mode.", param="line_items")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": form["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "customer": form.get("customer"),
            "client_reference_id": form.get("client_reference_id"),
            "metadata": _prefixed(form, "metadata"),
            "success_url": form.get("success_url"),
            "cancel_url": form.get("cancel_url"),
            "url": f"{self.url}/checkout/{session_id}",
            "amount_total": price["unit_amount"],
            "currency": "usd",
            "subscription": None,
            "payment_intent": None,
            "created": int(time.time()),
            "expires_at": int(time.time()) + 86400,
            "livemode": False,
            "_price": price["id"],
            "_trial_days": form.get("subscription_data[trial_period_days]"),
        }
        with self.lock:
            self.sessions[session_id] = session
        return session

    def portal_session_create(self, form: dict) -> dict:
        customer = form.get("customer", "")
        self.localstripe.v1.customers.retrieve(customer)  # Stripe answers 404 for a stranger
        session_id = f"bps_{secrets.token_hex(12)}"
        session = {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": customer,
            "return_url": form.get("return_url"),
            "url": f"{self.url}/portal/{session_id}",
            "created": int(time.time()),
            "livemode": False,
            "configuration": "bpc_breathmaster",
        }
        with self.lock:
            self.portal_sessions[session_id] = session
        return session

    def invoice_payments(self, invoice_id: str) -> dict:
        invoice = self.localstripe.v1.invoices.retrieve(invoice_id).to_dict()
        data = []
        intent = invoice.get("payment_intent")
        if intent:
            intent_id = intent if isinstance(intent, str) else intent["id"]
            data.append(
                {
                    "id": f"inpay_{invoice_id}",
                    "object": "invoice_payment",
                    "amount_paid": invoice.get("amount_paid"),
                    "amount_requested": invoice.get("amount_due"),
                    "currency": invoice.get("currency", "usd"),
                    "invoice": invoice_id,
                    "is_default": True,
                    "livemode": False,
                    "payment": {"type": "payment_intent", "payment_intent": intent_id},
                    "status": "paid" if invoice.get("status") == "paid" else "open",
                }
            )
        return {"object": "list", "data": data, "has_more": False, "url": "/v1/invoice_payments"}

    # --- what the hosted page does -------------------------------------------------------------
    def checkout_pay(self, session_id: str) -> dict:
        """The person pays: make the real objects in localstripe, then tell the app."""
        session = self.sessions[session_id]
        if session["status"] == "complete":
            return session
        method = self.localstripe.v1.payment_methods.create(
            params={"type": "card", "card": dict(TEST_CARD)}
        )
        self.localstripe.v1.payment_methods.attach(
            method.id, params={"customer": session["customer"]}
        )
        if session["mode"] == "subscription":
            self._pay_subscription(session, method.id)
        else:
            self._pay_once(session, method.id)
        session["status"] = "complete"
        self.send_event("checkout.session.completed", self.public(session))
        return session

    def _pay_subscription(self, session: dict, method_id: str) -> None:
        self.localstripe.v1.customers.update(
            session["customer"],
            params={"invoice_settings": {"default_payment_method": method_id}},
        )
        params = {"customer": session["customer"], "items": [{"plan": session["_price"]}]}
        if session["_trial_days"]:
            # The trial's end, as Stripe computes it from trial_period_days.
            params["trial_end"] = int(time.time()) + 86400 * int(session["_trial_days"])
        subscription = self.localstripe.v1.subscriptions.create(params=params)
        if subscription.status == "incomplete" and session["_trial_days"]:
            # localstripe leaves a trial `incomplete`; Stripe starts it `trialing`.
            self.advance_subscription(subscription.id, "trialing")
        session["subscription"] = subscription.id
        session["payment_status"] = "no_payment_required" if session["_trial_days"] else "paid"

    def _pay_once(self, session: dict, method_id: str) -> None:
        intent = self.localstripe.v1.payment_intents.create(
            params={
                "amount": session["amount_total"],
                "currency": "usd",
                "customer": session["customer"],
                "payment_method": method_id,
            }
        )
        self.localstripe.v1.payment_intents.confirm(intent.id)
        session["payment_intent"] = intent.id
        session["payment_status"] = "paid"

    def advance_subscription(self, subscription_id: str, status: str) -> dict:
        """What a Stripe test clock would do to a subscription's status (see localstripe_server)."""
        answer = requests.post(
            f"{self.localstripe_url}/_test_clock/subscriptions/{subscription_id}",
            json={"status": status},
            headers={"Authorization": f"Bearer {self.secret_key}"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()

    def send_event(self, event_type: str, data_object: dict, event_id: str | None = None):
        """Deliver an event to the app as Stripe does: JSON body, signed header."""
        if not self.webhook_url:
            return None
        payload = event_payload(event_type, data_object, event_id)
        return requests.post(
            self.webhook_url,
            data=payload.encode(),
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": stripe_signature(payload, self.webhook_secret),
            },
            timeout=30,
        )

    @staticmethod
    def public(session: dict) -> dict:
        return {key: value for key, value in session.items() if not key.startswith("_")}


class _StripeUserError(Exception):
    def __init__(self, message: str, *, param: str | None = None, status: int = 400):
        super().__init__(message)
        self.body = {"error": {"type": "invalid_request_error", "message": message, "param": param}}
        self.status = status


def _price(price_id: str, amount: int, recurring: dict | None) -> dict:
    return {
        "id": price_id,
        "object": "price",
        "active": True,
        "currency": "usd",
        "unit_amount": amount,
        "recurring": recurring,
        "type": "recurring" if recurring else "one_time",
        "product": "prod_breathmaster",
        "livemode": False,
    }


def _prefixed(form: dict, prefix: str) -> dict:
    start = f"{prefix}["
    return {key[len(start) : -1]: value for key, value in form.items() if key.startswith(start)}


def _handler_for(double: StripeDouble):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body leave in two writes; without this, Nagle's algorithm meets the
            # client's delayed ACK and every call waits 40 ms.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self):
            self._route("GET")

        def do_POST(self):
            self._route("POST")

        def do_DELETE(self):
            self._route("DELETE")

        def _route(self, method: str) -> None:
            path = urlsplit(self.path).path
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                if not self._ours(method, path, body):
                    self._proxy(method, body)
            except _StripeUserError as error:
                self._json(error.status, error.body)
            except stripe.InvalidRequestError as error:
                self._json(error.http_status or 400, {"error": {"message": str(error)}})

        def _ours(self, method: str, path: str, body: bytes) -> bool:
            form = {key: values[-1] for key, values in parse_qs(body.decode()).items()}
            query = {key: values[-1] for key, values in parse_qs(urlsplit(self.path).query).items()}
            parts = path.strip("/").split("/")
            if path == "/v1/checkout/sessions" and method == "POST":
                self._json(200, double.public(double.checkout_session_create(form)))
            elif path.startswith("/v1/checkout/sessions/") and method == "GET":
                session = double.sessions.get(parts[-1])
                if session is None:
                    raise _StripeUserError("No such checkout.session", status=404)
                self._json(200, double.public(session))
            elif path == "/v1/billing_portal/sessions" and method == "POST":
                self._json(200, double.portal_session_create(form))
            elif path.startswith("/v1/prices/") and method == "GET":
                price = double.prices.get(parts[-1])
                if price is None:
                    raise _StripeUserError("No such price", status=404)
                self._json(200, price)
            elif path == "/v1/invoice_payments" and method == "GET":
                self._json(200, double.invoice_payments(query.get("invoice", "")))
            elif path.startswith("/checkout/"):
                self._checkout_page(method, parts)
            elif path.startswith("/portal/"):
                session = double.portal_sessions[parts[1]]
                self._page(
                    "Manage your plan",
                    f'<p><a href="{html.escape(session["return_url"])}">Return</a></p>',
                )
            else:
                return False
            return True

        def _checkout_page(self, method: str, parts: list[str]) -> None:
            session = double.sessions[parts[1]]
            if method == "POST" and parts[-1] == "pay":
                double.checkout_pay(session["id"])
                target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
                return self._redirect(target)
            if method == "POST" and parts[-1] == "cancel":
                return self._redirect(session["cancel_url"])
            amount = f"${session['amount_total'] / 100:.2f}"
            trial = (
                f"<p>{session['_trial_days']} days free, then {amount} a month.</p>"
                if session["_trial_days"]
                else f"<p>{amount}</p>"
            )
            self._page(
                "Checkout (test double)",
                f"{trial}"
                f'<form method="post" action="/checkout/{session["id"]}/pay">'
                '<button type="submit">Pay</button></form>'
                f'<form method="post" action="/checkout/{session["id"]}/cancel">'
                '<button type="submit">Back</button></form>',
            )

        def _proxy(self, method: str, body: bytes) -> None:
            headers = {
                name: value
                for name, value in self.headers.items()
                if name.lower() in ("authorization", "content-type", "stripe-version")
            }
            answer = double.http.request(
                method,
                f"{double.localstripe_url}{self.path}",
                data=body or None,
                headers=headers,
                timeout=30,
            )
            self._send(answer.status_code, answer.content, "application/json")

        def _json(self, status: int, body: dict) -> None:
            self._send(status, json.dumps(body).encode(), "application/json")

        def _page(self, title: str, content: str) -> None:
            page = f"<!doctype html><title>{title}</title><h1>{title}</h1>{content}"
            self._send(200, page.encode(), "text/html; charset=utf-8")

        def _redirect(self, target: str) -> None:
            self.send_response(303)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: int, content: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    return Handler
