"""Triage in the HTML report, in headless Chromium over the DevTools protocol (tests/cdp.py):
under the page's CSP (inline script by hash, no 'unsafe-inline', no network), from file://, click
"accept (false alarm)", reload (the mark survives in localStorage), download the waivers, feed the
file back with --waivers: the gate that failed passes."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from cdp import Browser
from conftest import FIXTURES
from procs_support import HANG
from report_sample import sample_report
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.report import render
from mtqa.report.formats.html import script

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
W = FIXTURES / "waivers"
STORY = ["-s", str(W / "story.en"), "-t", str(W / "story.fr"), "--metrics", "bleu", "--max-minor", "0", "-q"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium); HTML browser test skipped"
)


def _check(*args) -> int:
    return CliRunner().invoke(app, ["check", *STORY, *map(str, args)]).exit_code


@pytest.fixture
def browser(tmp_path):
    b = Browser(CHROMIUM, tmp_path / "profile")
    try:
        b.attach()
        yield b
    finally:
        b.close()


def test_csp_allows_the_script_by_hash_only():
    html = render(sample_report(), "html")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert f"script-src {script()[1]}" in csp and "default-src 'none'" in csp
    assert html.count("<script>") == 1 and f"<script>{script()[0]}</script>" in html


def test_a_changed_script_would_be_refused(tmp_path, browser):
    """The hash is what lets the script run: the same page with one byte changed in it does not."""
    page = tmp_path / "tampered.html"
    page.write_text(render(sample_report(), "html").replace('"use strict";', '"use strict"; '), encoding="utf-8")
    browser.goto(page.as_uri())
    assert browser.eval("document.body.dataset.ready || ''") == ""


def test_accept_reload_download_and_the_gate_passes(tmp_path, browser):
    html, report = tmp_path / "story.html", tmp_path / "story.json"
    assert _check("-o", html, "-o", report) == 1  # two "dit: " findings, at most 0 minor: the gate fails
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.send("Browser.setDownloadBehavior", browser=True, behavior="allow", downloadPath=str(downloads),
                 eventsEnabled=True)
    browser.goto(html.as_uri())
    assert browser.eval("document.body.dataset.ready") == "1"
    assert browser.eval("document.querySelectorAll('li.finding button.tri').length") == 4
    browser.click("li.finding button[data-act=accept]")
    # both "dit: " findings have one fingerprint (rule, span, source span, document): one click, both
    assert browser.eval("document.getElementById('triage-count').textContent") == "2 accepted, 0 confirmed"
    browser.reload()  # the triage state survives a reload
    assert browser.eval("document.querySelector('li.finding').dataset.triage") == "accept"
    assert browser.eval("document.getElementById('triage-count').textContent") == "2 accepted, 0 confirmed"
    browser.eval("document.getElementById('triage-by').value = 'ann'")
    browser.click("#download-waivers")
    browser.wait_event("Browser.downloadProgress", state="completed")
    yaml_path = _downloaded(downloads)
    text = yaml_path.read_text(encoding="utf-8")
    assert text.count("- rule:") == 1 and 'by: "ann"' in text and 'doc: "story"' in text
    assert _check("--waivers", yaml_path) == 0  # the same run, with the downloaded waivers, passes
    # the very bytes `mtqa waive` writes for the same acceptance
    waive = CliRunner().invoke(app, ["waive", str(report), "-o", str(tmp_path / "cli.yaml"), "--by", "ann",
                                     "--reason", "false alarm"])
    assert waive.exit_code == 0 and (tmp_path / "cli.yaml").read_text(encoding="utf-8") == text
    # a report rendered with those waivers shows them apart, and its download keeps them
    again = tmp_path / "again.html"
    assert _check("--waivers", yaml_path, "-o", again) == 0
    browser.goto(again.as_uri())
    assert browser.eval("document.querySelectorAll('li.finding.waived').length") == 2
    assert browser.eval("document.querySelectorAll('li.finding button.tri').length") == 0
    assert "Waived (not counted)" in browser.eval("document.body.textContent")
    for p in downloads.iterdir():
        p.unlink()
    browser.click("#download-waivers")
    browser.wait_event("Browser.downloadProgress", state="completed")
    assert _downloaded(downloads).read_text(encoding="utf-8") == text


def test_confirm_is_not_exported(tmp_path, browser):
    html = tmp_path / "story.html"
    _check("-o", html)
    downloads = tmp_path / "dl"
    downloads.mkdir()
    browser.send("Browser.setDownloadBehavior", browser=True, behavior="allow", downloadPath=str(downloads),
                 eventsEnabled=True)
    browser.goto(html.as_uri())
    browser.click("li.finding button[data-act=confirm]")
    assert browser.eval("document.getElementById('triage-count').textContent") == "0 accepted, 2 confirmed"
    browser.click("#download-waivers")
    browser.wait_event("Browser.downloadProgress", state="completed")
    assert "waivers: []" in _downloaded(downloads).read_text(encoding="utf-8")
    assert _check("--waivers", _downloaded(downloads)) == 1


def _downloaded(folder: Path) -> Path:
    """The downloaded file, once Chromium has renamed it from its .crdownload (HANG s bound a hang)."""
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline:
        files = [p for p in folder.iterdir() if not p.name.endswith(".crdownload")]
        if files:
            return files[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing downloaded to {folder}")
