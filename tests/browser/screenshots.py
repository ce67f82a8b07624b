"""Full-page screenshots kept as test artifacts, for a person to look at what the tests saw."""

from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def save_screenshot(page: Page, name: str) -> Path:
    """test-artifacts/screenshots/<name>.png (git-ignored), written anew on every run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def forget_failed_runs() -> None:
    """Remove the screenshots earlier failed tests left, so those present belong to this run."""
    for old in SCREENSHOTS.glob("failed-*.png"):
        old.unlink()
