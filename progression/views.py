from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from progression.selectors.dashboard import dashboard_for

ANALYTICS_TABS = (("weeks", "Weeks"), ("weekdays", "Weekdays"), ("months", "Months"))


@login_required
def dashboard(request):
    tab = request.GET.get("analytics")
    if tab not in dict(ANALYTICS_TABS):
        tab = ANALYTICS_TABS[0][0]
    context = {
        "dashboard": dashboard_for(user=request.user),
        "analytics_tab": tab,
        "analytics_tabs": [
            {
                "key": key,
                "label": label,
                "url": f"?analytics={key}#analytics",
                "current": key == tab,
            }
            for key, label in ANALYTICS_TABS
        ],
    }
    return render(request, "progression/dashboard.html", context)
