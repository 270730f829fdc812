"""What runs around every view: a request body larger than any view takes is refused before a byte of it is read,
one account may send only so many stories an hour, and a view that cannot reach the database answers a short 503
instead of a traceback. Also the login page a locked-out login gets (django-axes calls ``login_locked_out``)."""

from __future__ import annotations

import logging
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from alignment.ingest import format_size
from alignment.ops import limits

log = logging.getLogger(__name__)

# Seconds a client is asked to wait while the database is down.
RETRY_AFTER_SECONDS = 10


def _is_api(request) -> bool:
    try:
        return resolve(request.path_info).namespace == "api"
    except Resolver404:
        return False


def _refuse(request, status: int, title: str, message: str, retry_after: int | None = None):
    """The refusal as JSON for the API (its error format) and as a page for everyone else."""
    if _is_api(request):
        response = JsonResponse({"errors": {"__all__": [message]}}, status=status)
    else:
        response = render(request, "limit_reached.html", {"title": title, "message": message}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class RequestSizeLimitMiddleware:
    """413 for a body over SVERKA_MAX_REQUEST_BYTES, judged by its Content-Length alone, before any other code
    could read it. (Without a Content-Length Django reads no body at all.) Below that, Django's own limits hold:
    DATA_UPLOAD_MAX_MEMORY_SIZE for the fields, and CappedUploadHandler for files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.SVERKA_MAX_REQUEST_BYTES
        if length <= limit:
            return self.get_response(request)
        log.warning("refused a %s-byte %s to %s", length, request.method, request.path)
        return _refuse(
            request, 413, "Too large to upload",
            f"The upload is {format_size(length)}; Sverka takes at most {format_size(limit)} in one request, and "
            f"{format_size(settings.SVERKA_MAX_UPLOAD_BYTES)} per side. Nothing of it was read: choose smaller files "
            "and send the form again.",
        )


class UploadRateLimitMiddleware:
    """429, with when to try again, once the user has sent SVERKA_UPLOADS_PER_HOUR stories in the last hour from
    the upload page. Token-authenticated API calls are not known to be anyone's yet here: UploadThrottle counts
    those, against the same limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method != "POST"
            or request.resolver_match.view_name != "upload"
            or not request.user.is_authenticated
        ):
            return None
        wait = limits.upload_wait(request.user)
        if not wait:
            return None
        return _refuse(request, 429, "Too many stories for now", limits.too_many_uploads(wait), retry_after=wait)


def login_locked_out(request, original_response=None, credentials=None):
    """The login page again, saying why and for how long, after too many failed logins (AXES_LOCKOUT_CALLABLE).
    Each further failure starts the cool-off again, so "from now" is right."""
    minutes = math.ceil(get_cool_off(request).total_seconds() / 60)
    message = (
        "Too many failed attempts to log in with this username, or from your address. "
        f"Try again in {minutes} minute{'' if minutes == 1 else 's'}, or ask an administrator to unlock it."
    )
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "locked_out": message, "next": request.POST.get("next", "")}
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with a short page (JSON under the API) instead of a
    500 and a traceback. The next request opens a new connection (CONN_HEALTH_CHECKS), so the site comes back
    by itself when the database does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("database unavailable during %s %s: %s", request.method, request.path, exception)
        match = request.resolver_match
        if match and match.namespace == "api":
            response = JsonResponse({"error": "The database is unavailable. Try again in a moment."}, status=503)
        else:
            # Rendered without the request: context processors (the user, messages) would need the database.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
