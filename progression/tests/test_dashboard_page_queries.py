"""What one dashboard page sends to PostgreSQL (issue 13: at most ten statements a page)."""

import pytest

from progression.tests.dashboard_practice import year_of_practice


@pytest.mark.django_db
def test_the_dashboard_page_reads_the_plan_once_in_a_few_statements(
    client, verified_user, django_assert_max_num_queries
):
    year_of_practice(verified_user, devices=3, days=365)  # on Free past level 10: an offer
    client.force_login(verified_user)
    # Session, user, state, plan, the year's days, challenges, the offer's facts, the bell.
    with django_assert_max_num_queries(8) as statements:
        answer = client.get("/dashboard/")
    assert answer.status_code == 200
    assert 'data-testid="offer"' in answer.content.decode()
    plan_reads = [sql for sql in statements.captured_queries if "billing_staffgrant" in sql["sql"]]
    assert len(plan_reads) == 1  # the offer takes the plan the page has already read
