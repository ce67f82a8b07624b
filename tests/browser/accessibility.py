"""The axe-core accessibility check of a page in the browser: WCAG 2.1 A and AA rules, and a
failure for every serious or critical violation, named with its rule, help and elements."""

from pathlib import Path

from playwright.sync_api import Page

# Fetched by `make test` from the npm registry at a pinned version (see the Makefile's AXE_ rules).
AXE_JS = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def axe_violations(page: Page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it stands now."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: `make test` fetches it (or `make {AXE_JS}`)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", WCAG_21_AA)
    return results["violations"]


def blocking_violations(page: Page) -> list[str]:
    """The serious and critical violations as lines of text, one per rule."""
    lines = []
    for violation in axe_violations(page):
        if violation["impact"] not in BLOCKING:
            continue
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
        more = len(violation["nodes"]) - 8
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']} "
                     f"— {targets}{f' (and {more} more)' if more > 0 else ''}")
    return lines

