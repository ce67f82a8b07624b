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
