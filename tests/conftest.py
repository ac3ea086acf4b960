from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser, sync_playwright

from .local_servers import free_port, serving

ROOT = Path(__file__).resolve().parent.parent


# Property tests: 200 random examples locally, 2,000 in CI (scripts/test.sh sets
# HYPOTHESIS_PROFILE=ci). CI's examples are derandomized: the same 2,000 on every run, so a
# verdict is reproducible and a commit cannot fail on a bug it did not touch; local runs keep
# exploring new examples (`HYPOTHESIS_PROFILE=explore` for 2,000 random ones), and what they
# find is pinned with @example.
# No deadline: an example's time depends on the machine, not on the code's correctness.
_SLOW_OK = [HealthCheck.too_slow]
settings.register_profile(
    "default", max_examples=200, deadline=None, suppress_health_check=_SLOW_OK
)
settings.register_profile(
    "ci",
    max_examples=2000,
    deadline=None,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
    derandomize=True,
)
settings.register_profile(
    "explore", max_examples=2000, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def site_examples(usual: int) -> int:
    """``max_examples`` for a property test whose every example builds a whole site with MkDocs
    (about a second each): ``usual`` in CI and local runs, 25 times that under
    ``HYPOTHESIS_PROFILE=explore``, the profile for hunting new failures."""
    return usual * 25 if os.environ.get("HYPOTHESIS_PROFILE") == "explore" else usual


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/**/*.out.md from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the browser tests serve the site on: the build's site_url must match it
    (Material's instant previews only preview pages listed in the sitemap)."""
    return free_port()


def build_real_site(
    engine: str, out: Path, scratch: Path, site_port: int
) -> subprocess.CompletedProcess[str]:
    """``engine build --strict`` of the real notes into ``out`` (engine: mkdocs or properdocs).

    The build updates the URL map it reads: it gets a copy in ``scratch``, never the
    repository's own (a stale committed map still fails this --strict build with a warning).
    """
    url_map = scratch / "glossary-urls.json"
    shutil.copy(ROOT / "glossary-urls.json", url_map)
    return subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "SITE_URL": f"http://127.0.0.1:{site_port}/",
            "GLOSSARY_URL_MAP": str(url_map),
        },
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> tuple[Path, str]:
    """One real `mkdocs build --strict` of the corpus: (site directory, build log)."""
    out = tmp_path_factory.mktemp("site")
    proc = build_real_site("mkdocs", out, tmp_path_factory.mktemp("url-map"), site_port)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stderr


# --- browser tests ------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def served_site(site: tuple[Path, str], site_port: int) -> Iterator[str]:
    """The real site's build, served on the port its site_url names."""
    with serving(site[0], site_port) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    assert CHROMIUM.exists(), "Chromium is missing: run `bash scripts/test.sh` (it installs it)"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


# Fixtures that build the real site, serve it or start a browser: a test using one is a
# `site` test whether or not its module says so, so `-m "not site"` never builds the site.
SITE_FIXTURES = frozenset({"site", "served_site", "browser"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
