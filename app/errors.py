"""Domain errors raised by services; app.main turns each into a page."""


class DomainError(Exception):
    """Base class for errors a user can act on."""


class NotFound(DomainError):
    def __init__(self, what: str):
        super().__init__(f"{what} was not found")
        self.what = what


class ValidationFailed(DomainError):
    """Input the service refused; `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotAuthenticated(DomainError):
    """No live session: the person must sign in."""


class Forbidden(DomainError):
    """Signed in, but the role does not allow this."""

    def __init__(self, message: str = "Your account can read but not change this."):
        super().__init__(message)
        self.message = message


class Conflict(DomainError):
    """Someone else saved the record since the form was opened."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
