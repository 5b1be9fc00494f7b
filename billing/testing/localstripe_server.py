"""Run localstripe on 127.0.0.1 with its state in a file of our choosing (tests only).

localstripe's own command listens on every interface and keeps its state in
/tmp/localstripe.pickle, shared by every run on the machine. This starts the same aiohttp app,
bound to loopback, with the state in `--state`, and adds what Stripe's test clocks would give
(localstripe has none): `POST /_test_clock/subscriptions/{id}` moves a subscription to the status
time would bring it to (a renewal failing: `past_due`; a card updated and paid: `active`; Stripe
giving up: `unpaid`), sending nothing. The SDK still reads the result over real HTTP.

    python -m billing.testing.localstripe_server --port 8420 --state /tmp/x/localstripe.pickle
"""

import argparse
import pickle
import time

from aiohttp import web

CLOCK_STATUSES = {"trialing", "active", "past_due", "unpaid", "canceled"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state", required=True)
    args = parser.parse_args()

    from localstripe import resources
    from localstripe.server import app

    def dump_to_disk(store) -> None:
        with open(args.state, "wb") as state:
            pickle.dump(dict(store), state, protocol=pickle.HIGHEST_PROTOCOL)

    # localstripe pickles its whole store after every write; here it is written once, on the
    # way out, to this run's own file (a test run never reads it back: always from scratch).
    resources.Store.dump_to_disk = lambda store: None
    resources.Store.try_load_from_disk = lambda store: None

    async def save_state(app) -> None:
        dump_to_disk(resources.store)

    async def advance_subscription(request: web.Request) -> web.Response:
        body = await request.json()
        subscription = resources.Subscription._api_retrieve(request.match_info["id"])
        if body.get("status") not in CLOCK_STATUSES:
            return web.json_response({"error": {"message": "unknown status"}}, status=400)
        subscription.status = body["status"]
        if body["status"] == "canceled":
            subscription.ended_at = subscription.canceled_at = int(time.time())
        return web.json_response(subscription._export())

    app.router.add_post("/_test_clock/subscriptions/{id}", advance_subscription)
    app.on_shutdown.append(save_state)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
