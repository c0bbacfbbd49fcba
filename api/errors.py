"""The API's one error type: a status code and a message saying what was wrong (never echoing raw input)."""


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, errors: list[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []
