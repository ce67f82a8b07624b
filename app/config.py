"""Settings, read from OVERSIGHT_* environment variables."""

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE_NAME = "secret_key"


class Settings(BaseSettings):
    """Every setting the service reads. Each one is documented in README.md (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="OVERSIGHT_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Directory for the SQLite database, the generated secret and stored files.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means an SQLite file oversight.db in DATA_DIR.",
    )
    secret_key: str = Field(
        default="",
        description="Key for signing; empty means one is generated once and kept in DATA_DIR.",
    )
    page_size: int = Field(default=25, ge=5, le=200, description="Rows per page in lists.")
    session_idle_minutes: int = Field(
        default=240, ge=5, description="A session ends after this long without a request."
    )
    session_max_hours: int = Field(
        default=12, ge=1, description="A session ends this long after sign-in, however busy."
    )
    login_failures_per_account: int = Field(
        default=5, ge=1, description="Failed sign-ins per e-mail address before a pause."
    )
    login_failures_per_address: int = Field(
        default=20, ge=1, description="Failed sign-ins per network address before a pause."
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="The window in which failed sign-ins are counted."
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are believed; empty believes none.",
    )
    max_body_mb: int = Field(
        default=60, ge=1, le=1024, description="Largest request body accepted, in megabytes."
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        description="Least severe log lines written: DEBUG, INFO (one per request), WARNING or "
        "ERROR.",
    )
    log_format: Literal["json", "text"] = Field(
        default="json", description="Log lines as JSON objects (json) or as readable text."
    )
    log_file: str = Field(
        default="", description="File the log is appended to (reopened when rotated); empty "
        "means standard error."
    )

    holiday_country: str = Field(
        default="DE",
        description="ISO 3166 country whose public holidays are not working days for deadlines.",
    )
    holiday_subdivision: str = Field(
        default="BE",
        description="Subdivision (state) whose holidays count too, e.g. BE for Berlin; empty "
        "for the country's nationwide holidays only.",
    )
    max_upload_mb: int = Field(
        default=25, ge=1, le=500, description="Largest answer PDF accepted for upload, in MB."
    )
    max_import_mb: int = Field(
        default=40, ge=1, le=500,
        description="Largest file accepted for import (CSV, DIP JSON, IATI XML), in MB; checked "
        "before the file is read.",
    )
    # Briefs and dossiers are laid out in a worker process with these caps, never in the web
    # worker's own process.
    render_timeout_seconds: int = Field(
        default=300, ge=1, le=3600,
        description="A brief or dossier still being generated after this long is stopped.",
    )
    render_memory_mb: int = Field(
        default=1536, ge=64, le=65536,
        description="Address space a generating worker process may use, in MB.",
    )
    render_processes: int = Field(
        default=2, ge=1, le=32,
        description="Processes that lay out the parts of one dossier in parallel.",
    )
    render_jobs: int = Field(
        default=1, ge=1, le=32,
        description="Briefs and dossiers made at once across all app workers; more wait.",
    )

    @model_validator(mode="after")
    def _known_jurisdiction(self) -> "Settings":
        import holidays

        self.holiday_country = self.holiday_country.strip().upper()
        self.holiday_subdivision = self.holiday_subdivision.strip().upper()
        supported = holidays.list_supported_countries()
        if self.holiday_country not in supported:
            raise ValueError(f"OVERSIGHT_HOLIDAY_COUNTRY: no public holidays are known for "
                             f"{self.holiday_country!r}")
        if self.holiday_subdivision and self.holiday_subdivision not in supported[
                self.holiday_country]:
            raise ValueError(f"OVERSIGHT_HOLIDAY_SUBDIVISION: {self.holiday_country} has no "
                             f"subdivision {self.holiday_subdivision!r}; known: "
                             f"{', '.join(supported[self.holiday_country])}")
        return self

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _any_case(cls, value: object, info) -> object:
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @field_validator("secret_key")
    @classmethod
    def _refuse_weak_secret(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("OVERSIGHT_SECRET_KEY must be at least 32 characters")
        return value

    @cached_property
    def working_calendar(self):
        """The working days that deadlines are counted in."""
        from app.inquiries.deadlines import WorkingCalendar

        return WorkingCalendar(self.holiday_country, self.holiday_subdivision or None)

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'oversight.db').resolve()}"

    @cached_property
    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated on first use and kept (mode 0600) in DATA_DIR."""
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / SECRET_FILE_NAME
        if not path.exists():
            # Write aside, then link into place: link fails if another worker won the race, and
            # a reader never sees a half-written file.
            tmp = self.data_dir / f".{SECRET_FILE_NAME}.{secrets.token_hex(8)}"
            tmp.write_text(secrets.token_urlsafe(48), encoding="ascii")
            tmp.chmod(0o600)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_text(encoding="ascii").strip()
