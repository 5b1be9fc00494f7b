"""Web pages: leaderboards, friends, challenges. Every form works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from breathmaster.api.errors import ApplicationError
from social import selectors, services
from social.forms import ChallengeForm, CheerForm, FriendCodeForm, ReasonForm
from social.leaderboards.windows import PERIODS
from social.selectors.boards import SCOPES

PERIOD_NAMES = {"day": "Today", "week": "This week", "month": "This month", "all": "All time"}
SCOPE_NAMES = {"global": "Everyone", "friends": "Friends", "company": "Company"}


@login_required
@require_GET
def leaderboards(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "global")
    period = request.GET.get("period", "week")
    if scope not in SCOPES or period not in PERIODS:
        raise Http404
    context = {
        "scope": scope,
        "period": period,
        "periods": [(key, PERIOD_NAMES[key]) for key in PERIODS],
        "scopes": [(key, SCOPE_NAMES[key]) for key in SCOPES],
        "privacy": request.user,
    }
    if request.user.is_sync_enabled:
        try:
            context["board"] = selectors.leaderboard_page(
                scope=scope, period=period, viewer=request.user, cursor=request.GET.get("cursor")
            )
        except ApplicationError as error:
            context["error"] = error.detail
    return render(request, "social/leaderboards.html", context)


def _friends_page(request: HttpRequest, form: FriendCodeForm | None = None, status: int = 200):
    shared = selectors.challenges_shared_with_friends(user=request.user)
    friends = [
        {**friend, "shared_challenge": shared.get(friend["user_id"])}
        for friend in selectors.friend_list(user=request.user)
    ]
    context = {
        "form": form or FriendCodeForm(),
        "friends": friends,
        "incoming": selectors.friend_requests_received(user=request.user),
        "outgoing": selectors.friend_requests_sent(user=request.user),
    }
    return render(request, "social/friends.html", context, status=status)


@login_required
@require_GET
def friends(request: HttpRequest) -> HttpResponse:
    return _friends_page(request)


@login_required
@require_POST
def friend_add(request: HttpRequest) -> HttpResponse:
    form = FriendCodeForm(request.POST)
    if not form.is_valid():
        return _friends_page(request, form, status=400)
    try:
        sent = services.friend_request_send(
            from_user=request.user, friend_code=form.cleaned_data["friend_code"]
        )
    except ApplicationError as error:
        form.add_error("friend_code", error.detail)
        return _friends_page(request, form, status=400)
    if sent.status == "accepted":
        messages.success(request, "You are friends now.")
    else:
        messages.success(request, "Your friend request is on its way.")
    return redirect("friends")


@login_required
@require_POST
def friend_request_answer(request: HttpRequest, request_id, answer: str) -> HttpResponse:
    service = {"accept": services.friend_request_accept, "decline": services.friend_request_decline}
    found = selectors.friend_request_for(request_id=request_id, user=request.user)
    if found is None or answer not in service:
        raise Http404
    try:
        service[answer](request=found, by=request.user)
    except ApplicationError as error:
        messages.info(request, error.detail)
    return redirect("friends")


@login_required
@require_POST
def friend_remove(request: HttpRequest, user_id) -> HttpResponse:
    friend = next((f for f in selectors.friends_of(user=request.user) if f.pk == user_id), None)
    try:
        if request.POST.get("block"):
            services.user_block(user=request.user, blocked=friend)
        else:
            services.friendship_end(user=request.user, friend=friend)
    except ApplicationError:
        raise Http404 from None
    messages.success(request, "Done. They are no longer on your friends list.")
    return redirect("friends")


@login_required
@require_GET
def challenges(request: HttpRequest) -> HttpResponse:
    context = {"form": ChallengeForm()}
    if request.user.is_sync_enabled:
        found = selectors.challenge_list(
            user=request.user, type=None, status="active", joined=False
        )
        context["challenges"] = [
            selectors.challenge_summary(challenge=challenge, viewer=request.user)
            for challenge in found[:50]
        ]
    return render(request, "social/challenges.html", context)


@login_required
@require_POST
def challenge_create(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST)
    if form.is_valid():
        try:
            challenge = services.challenge_create_by_user(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, "Your challenge is ready. Join it whenever you like.")
            return redirect("challenge", challenge_id=challenge.pk)
    return render(request, "social/challenges.html", {"form": form, "challenges": []}, status=400)


def _visible(request: HttpRequest, challenge_id):
    if not request.user.is_sync_enabled:
        raise Http404
    challenge = selectors.challenge_visible(challenge_id=challenge_id, user=request.user)
    if challenge is None:
        raise Http404
    return challenge


@login_required
@require_GET
def challenge(request: HttpRequest, challenge_id) -> HttpResponse:
    found = _visible(request, challenge_id)
    rows, _more = selectors.challenge_board(challenge=found, viewer=request.user, offset=0)
    context = {
        **selectors.challenge_summary(challenge=found, viewer=request.user),
        "board": rows,
        "report_form": ReasonForm(),
    }
    return render(request, "social/challenge.html", context)


@login_required
@require_POST
def challenge_action(request: HttpRequest, challenge_id, action: str) -> HttpResponse:
    if action not in ("join", "leave", "cheer", "report"):
        raise Http404
    found = _visible(request, challenge_id)
    try:
        if action == "join":
            services.challenge_join(challenge=found, user=request.user)
            messages.success(request, "You have joined. Every breath from today counts.")
        elif action == "leave":
            services.challenge_leave(challenge=found, user=request.user)
            messages.success(request, "You have left this challenge. You are welcome back anytime.")
        elif action == "cheer":
            form = CheerForm(request.POST)
            if not form.is_valid():
                raise Http404
            services.cheer_send(
                challenge=found, from_user=request.user, to_user_id=form.cleaned_data["user_id"]
            )
            messages.success(request, "Your cheer is sent.")
            if request.POST.get("back") == "friends":
                return redirect("friends")
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ApplicationError("Please say in a few words what is wrong.", code="invalid")
            services.challenge_report(challenge=found, reporter=request.user, **form.cleaned_data)
            messages.success(request, "Thank you. Our team will take a look.")
    except ApplicationError as error:
        messages.info(request, error.detail)
    return redirect("challenge", challenge_id=found.pk)
