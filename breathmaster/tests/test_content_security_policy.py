"""Every page carries a Content-Security-Policy with no inline script, and passes it in Chromium.

The policy is settings.CONTENT_SECURITY_POLICY (django-csp). The only inline script it admits
is Swagger UI's start-up on /api/docs/, by the nonce of that one response.
"""

import re

import pytest
from playwright.sync_api import expect

PAGES_SIGNED_OUT = ["/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]
PAGES_SIGNED_IN = [
    "/dashboard/",
    "/account/devices/",
    "/account/privacy/",
    "/friends/",
    "/leaderboards/",
    "/challenges/",
    "/billing/",
    "/billing/plans/",
    "/notifications/",
    "/notifications/preferences/",
]
PAGES_STAFF = ["/admin/", "/admin/accounts/user/"]

# Collects what the browser blocks, in every page of the context, before any page script runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def script_sources(policy: dict[str, list[str]]) -> list[str]:
    return policy.get("script-src", policy.get("default-src", []))


@pytest.mark.django_db
def test_every_page_answers_with_a_policy_that_admits_no_inline_script(client, verified_user):
    for path in PAGES_SIGNED_OUT:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = policy_of(response)
        assert "'unsafe-inline'" not in script_sources(policy), (path, policy)
        assert "'unsafe-eval'" not in script_sources(policy), (path, policy)
        assert "'unsafe-inline'" not in policy.get("style-src", []), (path, policy)
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
    client.force_login(verified_user)
    for path in PAGES_SIGNED_IN:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "'unsafe-inline'" not in script_sources(policy_of(response)), path
        assert not re.search(rb"<script(?![^>]*\bsrc=)", response.content), path


@pytest.mark.django_db
def test_the_api_docs_start_up_script_runs_by_the_nonce_of_its_own_response(client):
    first, second = client.get("/api/docs/"), client.get("/api/docs/")
    nonces = []
    for response in (first, second):
        [nonce] = re.findall(r"'nonce-([^']+)'", " ".join(script_sources(policy_of(response))))
        inline = re.findall(rb"<script(?![^>]*\bsrc=)([^>]*)>", response.content)
        assert inline == [f' nonce="{nonce}"'.encode()], inline
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    # Pages without an inline script get no nonce at all.
    assert "'nonce-" not in " ".join(script_sources(policy_of(client.get("/accounts/login/"))))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_run_in_chromium_with_no_policy_violation(
    page, live_server, client, verified_user, staff
):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.context.add_init_script(RECORD_VIOLATIONS)

    def visit(path: str) -> None:
        response = page.goto(path)
        assert response.status == 200, path
        assert response.headers.get("content-security-policy"), path

    for path in PAGES_SIGNED_OUT:
        visit(path)
        if path == "/api/docs/":  # Swagger UI started: its inline script ran under the nonce
            expect(page.get_by_text("Breath Master Cloud API")).to_be_visible(timeout=30_000)
        assert page.evaluate("window.__cspViolations") == [], path

    client.force_login(verified_user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in PAGES_SIGNED_IN:
        visit(path)
        if path == "/account/privacy/":  # the export button is the page's own script file
            page.get_by_role("button", name="Export my data").click()
            download = page.get_by_role("link", name="Download my data (JSON)")
            expect(download).to_be_visible(timeout=30_000)
        assert page.evaluate("window.__cspViolations") == [], path

    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in PAGES_STAFF:
        visit(path)
        assert page.evaluate("window.__cspViolations") == [], path
    assert not [text for text in console if "Content Security Policy" in text], console

    # The recorder hears a violation when there is one: an inline script is refused.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert [v.split()[0] for v in page.evaluate("window.__cspViolations")] == ["script-src-elem"]


@pytest.mark.django_db
def test_json_answers_carry_a_policy_that_allows_nothing(device_client, api, verified_user):
    """The API's answers, good and bad, with a token and without, allow no source at all."""
    extension = device_client(verified_user)
    answers = [
        extension.get("/api/v1/sync/state"),
        extension.post("/api/v1/sync", {"days": "not a list"}, format="json"),
        api.get("/api/v1/me"),
        api.get("/api/v1/no-such-thing"),
    ]
    assert [answer.status_code for answer in answers] == [200, 400, 401, 404]
    for answer in answers:
        assert policy_of(answer) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["X-Frame-Options"] == "DENY"
