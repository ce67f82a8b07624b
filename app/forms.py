"""What every form shares: a refused input's pydantic errors as one message per form field."""

from pydantic import ValidationError


def problems(exc: ValidationError) -> dict[str, str]:
    """Form field -> the first message about it ("__all__" for the whole form)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error.get("loc") else "__all__"
        message = str(error.get("msg", "Invalid value.")).removeprefix("Value error, ")
        if error.get("type") == "missing":
            message = "This field is required."
        errors.setdefault(name, message)
    return errors
