"""axe-core (the copy installed with axe-playwright-python) in Chromium on every page of the
site, light and dark: no serious or critical violation anywhere."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from progression.tests.dashboard_practice import premium, sign_in, year_of_practice
from tests.community_practice import join_the_community
from tests.page_tour import site_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}
ANALYTICS_TABS = ["/dashboard/?analytics=weekdays", "/dashboard/?analytics=months"]


def _problems(page, axe: Axe) -> list[str]:
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_for_visitors_and_members(
    chromium, live_server, verified_user, friend, scheme
):
    year_of_practice(verified_user, devices=2)
    premium(verified_user)
    join_the_community(verified_user)  # the rank and a running challenge show too
    axe = Axe()
    visitor_pages, member_pages = site_pages(), site_pages(user=verified_user)
    assert {"/", "/accounts/login/"} <= set(visitor_pages)
    assert "/dashboard/" in member_pages
    found = {}
    context = chromium.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    try:
        for path in visitor_pages:
            page.goto(path)
            found[f"visitor {path}"] = _problems(page, axe)
        sign_in(page, verified_user.email)
        for path in member_pages + [
            "/dashboard/?analytics=weekdays",
            "/dashboard/?analytics=months",
        ]:
            page.goto(path)
            found[f"member {path}"] = _problems(page, axe)
        page.goto("/")
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, friend.email)  # an empty dashboard on the free plan
        found["empty /dashboard/"] = _problems(page, axe)
    finally:
        context.close()
    assert len(found) >= 8
    assert not {where: problems for where, problems in found.items() if problems}
