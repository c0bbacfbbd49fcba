"""Failure handling: a database that cannot be reached answers a plain 503."""

import logging

from django.db import InterfaceError, OperationalError
from django.utils.log import log_message

from ops.views import service_unavailable

logger = logging.getLogger(__name__)

# Connection refused, server gone, "database is locked" after the busy timeout.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE_ERRORS):
            # log_message escapes the path: it may carry CR/LF or terminal escapes.
            log_message(logger, "Database unavailable for %s: %s", request.path, str(exception), level="warning")
            return service_unavailable(request)
        return None
