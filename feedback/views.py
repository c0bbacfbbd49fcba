"""The endpoint the feedback form posts to: never cached, no cookie, CSRF-free but replay-safe (feedback.tokens)."""

import time

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from feedback.forms import FeedbackForm
from feedback.services import Refused, feedback_record
from feedback.tokens import BadToken, address_hash, page_of
from publishing.rate_limit import seconds_to_wait
from security.network import client_ip_address

MAX_BODY_BYTES = 4096  # a 500-character comment in any script, the token and the buttons fit with room to spare


def parse_rate(text: str) -> tuple[int, int] | None:
    if not text.strip():
        return None
    """``"10/3600"`` as (10 answers, 3600 seconds); None for an empty setting. ValueError otherwise (a system check)."""
    requests, seconds = (int(part) for part in text.split("/"))
    if requests < 1 or seconds < 1:
        raise ValueError(text)
    return requests, seconds


def _page_url(token: str) -> str | None:
    """The page the token names, for the link back: never an address the client chose."""
    try:
        model, pk = page_of(token)
    except BadToken:
        return None
    page = model._default_manager.published().filter(pk=pk).first()
    return page.get_absolute_url() if page is not None else None


def _answer(request, status: int, message: str, *, retry_after: int | None = None):
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message}, status=status)
    else:
        back = _page_url(request.POST.get("token", "")) if status != 413 else None
        response = render(request, "feedback/answer.html", {"message": message, "back": back}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


# The form sits in cached pages shared by all readers, so it cannot carry a per-reader CSRF token; nothing here acts
# for a signed-in user (no session is read or set). The signed page token and one answer per token and address stand in.
@csrf_exempt
@never_cache
@require_POST
def submit_feedback(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if length > MAX_BODY_BYTES:
        return _answer(request, 400, "That answer is too long: keep the comment under 500 characters.")
    address = client_ip_address(request) or "unknown"
    rate = parse_rate(settings.FEEDBACK_RATE_LIMIT)
    if rate is not None:
        wait = seconds_to_wait(address_hash(address), *rate, now=time.time(), scope="feedback-rate")
        if wait:
            return _answer(
                request, 429, f"Too many answers from your network. Try again in {wait} seconds.", retry_after=wait
            )
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _answer(request, 400, form.first_error())
    if form.cleaned_data["website"]:
        return _answer(request, 400, "This answer was not accepted.")
    token = form.cleaned_data["token"]
    try:
        feedback_record(
            token=token,
            helpful=form.cleaned_data["helpful"] == "yes",
            comment=form.cleaned_data["comment"],
            address=address,
        )
    except Refused as refused:
        return _answer(request, 400, str(refused))
    message = "Thank you for your feedback."
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message}, status=201)
    return HttpResponseRedirect(f"{_page_url(token) or '/'}?feedback=thanks#feedback", status=303)
