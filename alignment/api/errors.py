"""How the API answers when something goes wrong: always JSON with a ``detail`` in words for the caller, never an
exception's own text. That text names code, files and settings; it goes to the log for the operator."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

log = logging.getLogger(__name__)

SERVER_ERROR = (
    "Something went wrong on the server while answering this request. It has been logged; try again later, "
    "and if it keeps happening, tell the administrator what you sent."
)
UNREADABLE_BODY = (
    "The request body could not be read: it is not well-formed JSON, or not the form data its Content-Type "
    'header names. Send JSON such as {"confirm": true} with Content-Type: application/json.'
)


def exception_handler(exc, context):
    """DRF's answers for its own exceptions (404, 403, 429 ...), with a parser's error rewritten in words; for any
    other exception a logged 500. A database that is down is left to DatabaseUnavailableMiddleware's 503."""
    if isinstance(exc, ParseError):
        # DRF's parsers put the decoder's own message in the detail ("JSON parse error - Expecting value: ...").
        log.warning("unreadable request body: %s", exc.detail)
        set_rollback()
        return Response({"detail": UNREADABLE_BODY}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None or isinstance(exc, (OperationalError, InterfaceError)):
        return response
    request = context.get("request")
    log.error("API error during %s %s", getattr(request, "method", "?"), getattr(request, "path", "?"), exc_info=exc)
    set_rollback()
    return Response({"detail": SERVER_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
