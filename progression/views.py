from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from progression.selectors import dashboard_summary


@login_required
def dashboard(request):
    return render(request, "progression/dashboard.html", dashboard_summary(user=request.user))
