"""No page carries inline script, inline style or event-handler attributes, so a
Content-Security-Policy without 'unsafe-inline' leaves every page working."""

import re

import pytest

from progression.tests.dashboard_practice import premium, year_of_practice
from tests.page_tour import site_pages

INLINE = {
    "inline style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline script": re.compile(r"<script(?![^>]*\ssrc\s*=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}


def _inline_code(html: str) -> list[str]:
    return [name for name, pattern in INLINE.items() if pattern.search(html)]


def test_the_scan_finds_inline_code_when_there_is_some():
    assert _inline_code('<p style="color: red">') == ["inline style attribute"]
    assert _inline_code("<script>alert(1)</script>") == ["inline script"]
    assert _inline_code('<button onclick="go()">') == ["event handler attribute"]
    assert _inline_code('<script src="/static/js/a.js"></script><rect width="3"/>') == []


@pytest.mark.django_db
def test_no_page_has_inline_script_or_style(client, verified_user):
    year_of_practice(verified_user, devices=1, days=60)
    premium(verified_user)
    found = {}
    for path in site_pages():
        found[f"visitor {path}"] = _inline_code(client.get(path).content.decode())
    client.force_login(verified_user)
    member_pages = site_pages(user=verified_user)
    for path in [*member_pages, "/dashboard/?analytics=weekdays", "/dashboard/?analytics=months"]:
        found[f"member {path}"] = _inline_code(client.get(path).content.decode())
    assert "member /dashboard/" in found and "visitor /" in found
    assert not {where: kinds for where, kinds in found.items() if kinds}
