"""Settings: OVERSIGHT_* variables, an SQLite default under DATA_DIR, a generated secret."""

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings


def test_database_defaults_to_sqlite_file_in_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve()}/oversight.db"


def test_environment_variables_with_prefix_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OVERSIGHT_DATABASE_URL", "sqlite:////elsewhere/x.db")
    monkeypatch.setenv("OVERSIGHT_SECRET_KEY", "k" * 40)
    settings = Settings()
    assert settings.data_dir == tmp_path
    assert settings.resolved_database_url == "sqlite:////elsewhere/x.db"
    assert settings.resolved_secret_key == "k" * 40


def test_secret_is_generated_once_kept_private_and_reused(tmp_path):
    first = Settings(data_dir=tmp_path).resolved_secret_key
    path = tmp_path / "secret_key"
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(data_dir=tmp_path).resolved_secret_key == first
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temp files left
    assert Settings(data_dir=tmp_path / "other").resolved_secret_key != first


def test_short_secret_is_refused():
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(secret_key="changeme")


def test_no_secret_constant_in_code(tmp_path):
    # The only default is "none given"; a secret comes from the environment or is generated.
    assert Settings.model_fields["secret_key"].default == ""
    assert Settings(data_dir=tmp_path / "a").resolved_secret_key != \
        Settings(data_dir=tmp_path / "b").resolved_secret_key


def test_every_setting_is_documented_in_readme():
    readme = Path("README.md").read_text()
    for name in Settings.model_fields:
        assert f"`OVERSIGHT_{name.upper()}`" in readme, name
