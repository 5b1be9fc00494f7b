"""The site's navigation, written once: base.html shows it as a row on wide screens and folded
in a <details> menu on a phone (`{% nav_links %}` in both). Add a page here and it appears in both.

A tag rather than an included template: the header is on every page, and the include's sixteen
`{% url %}` tags cost more than the dashboard's own queries. Addresses are reversed once per
process (per script prefix and URLconf, which is all `reverse` depends on here).
"""

from functools import cache

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# (URL name, label, the URL names of the pages where this link is the current one)
SIGNED_IN_LINKS = (
    ("dashboard", "Dashboard", {"dashboard"}),
    ("leaderboards", "Leaderboards", {"leaderboards"}),
    ("challenges", "Challenges", {"challenges", "challenge"}),
    ("friends", "Friends", {"friends"}),
    ("devices", "Devices", {"devices"}),
    ("privacy", "Privacy", {"privacy"}),
    ("billing", "Billing", {"billing", "billing_plans"}),
)
SIGNED_OUT_LINKS = (
    ("account_login", "Sign in", {"account_login"}),
    ("account_signup", "Create account", {"account_signup"}),
)


@register.simple_tag(takes_context=True)
def nav_links(context) -> SafeString:
    """The list of links, the current page's marked `aria-current`, and a sign-out form."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else None
    user = context.get("user")
    signed_in = bool(user and user.is_authenticated)
    links = _links(get_script_prefix(), get_urlconf())
    items = [
        current_item if current in pages else item
        for pages, item, current_item in links["signed in" if signed_in else "signed out"]
    ]
    if signed_in:
        items.append(
            f'<li><form method="post" action="{links["logout"]}">'
            f"{CsrfTokenNode().render(context)}"
            '<button type="submit" class="link">Sign out</button></form></li>'
        )
    return mark_safe(f'<ul class="nav-links">{"".join(items)}</ul>')


@cache
def _links(_prefix: str, _urlconf) -> dict:
    """Each list's items as (current pages, markup, markup marked current); the sign-out address.

    The arguments only key the cache: `reverse` reads both itself."""
    links: dict = {"logout": escape(reverse("account_logout"))}
    for key, group in (("signed in", SIGNED_IN_LINKS), ("signed out", SIGNED_OUT_LINKS)):
        links[key] = []
        for name, label, pages in group:
            start = f'<li><a href="{escape(reverse(name))}"'
            end = f">{escape(label)}</a></li>"
            links[key].append((pages, start + end, f'{start} aria-current="page"{end}'))
    return links
