"""The web side in headless Chromium: the bell with its unread count (a plain link, working
with JavaScript off), the feed page, the preferences page and the unsubscribe pages."""

from urllib.parse import urlsplit

import pytest

from notifications.models import Notification, NotificationPreference
from notifications.services.mail import unsubscribe_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def sign_in(page, email: str = "maya@example.com") -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "calm-breath-42")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_bell_shows_unread_and_leads_to_the_feed_without_javascript(no_js_page, verified_user):
    page = no_js_page
    for n in (1, 2):
        Notification.objects.create(
            user=verified_user, kind="level_up", key=f"level-up:{n + 1}", title=f"Level {n + 1}",
            body="Every calm breath led here.",
        )  # fmt: skip
    sign_in(page)
    bell = page.locator("a.bell")
    assert bell.get_attribute("aria-label") == "Notifications, 2 unread"
    assert bell.locator(".bell-count").inner_text() == "2"
    bell.click()
    page.wait_for_url("**/notifications/")
    assert page.locator("[data-testid=feed] li").count() == 2
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("a.bell .bell-count").inner_text() == "0"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_preferences_page_saves_through_the_same_rules(page, verified_user):
    sign_in(page)
    page.goto("/notifications/preferences/")
    page.check("input[name=email_enabled]")
    page.fill("input[name=time_of_day]", "07:15")
    page.fill("input[name=timezone]", "Europe/Berlin")
    page.select_option("select[name=frequency]", "weekly")
    page.uncheck("input[name=weekly_progress]")
    page.get_by_role("button", name="Save notification settings").click()
    page.wait_for_url("**/notifications/preferences/")
    assert "Your notification settings are saved." in page.content()
    preference = NotificationPreference.objects.get(user=verified_user)
    assert preference.email_enabled
    assert preference.time_of_day.strftime("%H:%M") == "07:15"
    assert (preference.timezone, preference.frequency) == ("Europe/Berlin", "weekly")
    assert preference.weekly_progress is False

    page.fill("input[name=timezone]", "Mars/Olympus_Mons")
    page.fill("input[name=time_of_day]", "06:00")
    page.get_by_role("button", name="Save notification settings").click()
    assert "Use a time zone name such as Europe/Berlin." in page.content()
    preference.refresh_from_db()
    assert (preference.timezone, preference.time_of_day.strftime("%H:%M")) == (
        "Europe/Berlin",
        "07:15",
    )


def test_email_cannot_be_turned_on_without_a_verified_address(page, verified_user):
    from allauth.account.models import EmailAddress

    sign_in(page)
    # The address stops being verified (changed elsewhere) while the session lives on.
    EmailAddress.objects.filter(user=verified_user).update(verified=False)
    page.goto("/notifications/preferences/")
    page.check("input[name=email_enabled]")
    page.get_by_role("button", name="Save notification settings").click()
    assert page.get_by_test_id("form-error").inner_text().startswith("Email reminders need")
    assert not NotificationPreference.objects.filter(email_enabled=True).exists()


def test_unsubscribe_asks_on_get_and_unsubscribes_on_the_button(page, verified_user):
    NotificationPreference.objects.create(user=verified_user, email_enabled=True)
    url = unsubscribe_url(user_id=verified_user.pk, email_type="weeklyProgress")
    page.goto(urlsplit(url).path)
    assert page.get_by_role("heading").inner_text() == "Stop emails about progress summaries?"
    assert NotificationPreference.objects.get(user=verified_user).weekly_progress is True
    page.get_by_role("button", name="Yes, stop emails about progress summaries").click()
    assert page.get_by_test_id("unsubscribed").inner_text() == (
        "Done. Emails about progress summaries will stop."
    )
    preference = NotificationPreference.objects.get(user=verified_user)
    assert (preference.weekly_progress, preference.email_enabled) == (False, True)
