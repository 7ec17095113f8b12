"""Domain errors that carry their meaning; one handler renders them for JSON and for the web."""


class AccordError(Exception):
    """Base of every error that a user's request can cause; never a server fault."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The form field the error is about, so that a form can show it next to that field.
        self.field = field


class InvalidInput(AccordError):
    """The input is malformed or breaks a rule of the text (empty file, wrong encoding …)."""

    status_code = 422
    code = "invalid_input"


class NotFound(AccordError):
    """The thing asked for does not exist (or the caller may not know that it does)."""

    status_code = 404
    code = "not_found"


class Unauthenticated(AccordError):
    """No valid credentials were presented."""

    status_code = 401
    code = "unauthenticated"


class Forbidden(AccordError):
    """The caller is known but their role does not allow this."""

    status_code = 403
    code = "forbidden"


class Conflict(AccordError):
    """The request collides with the current state: a stale version, a duplicate."""

    status_code = 409
    code = "conflict"


class InvalidTransition(Conflict):
    """A state change that the workflow does not allow from the current state."""

    code = "invalid_transition"


class TooManyRequests(AccordError):
    """The caller is going too fast; they may try again after `retry_after` seconds."""

    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(AccordError):
    """A part of Accord that needs software this server lacks (LibreOffice for PDF)."""

    status_code = 503
    code = "unavailable"
