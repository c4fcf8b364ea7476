"""The HTML report in a real browser: Debian's headless Chromium renders it, runs its inline filter
script, and takes a screenshot (saved under tests/output/, path printed)."""

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mtqa.report import render
from report_sample import sample_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OUTPUT = Path(os.environ.get("MTQA_TEST_OUTPUT", Path(__file__).resolve().parent / "output"))

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium); HTML browser test skipped"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "report.html"
    p.write_text(render(sample_report(), "html"), encoding="utf-8")
    return p


def test_screenshot_of_the_html_report(tmp_path, page):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "report-html.png"
    if shot.exists():
        shot.unlink()
    proc = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,1800", page.as_uri())
    assert shot.exists(), proc.stderr[-2000:]
    print(f"\nHTML report screenshot: {shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 1800)
    # not a blank page: the decoded pixels are far from uniform
    idat = b"".join(data[i + 8 : i + 8 + struct.unpack(">I", data[i : i + 4])[0]]
                    for i in _chunks(data) if data[i + 4 : i + 8] == b"IDAT")
    pixels = zlib.decompress(idat)
    assert len(set(pixels[: 400_000])) > 50


def _chunks(data: bytes):
    i = 8
    while i < len(data):
        yield i
        i += 12 + struct.unpack(">I", data[i : i + 4])[0]


def test_inline_script_runs_and_filters(tmp_path, page):
    proc = _chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = proc.stdout
    assert 'data-ready="1"' in dom, proc.stderr[-2000:]
    assert "4 finding(s) shown" in dom
    # the same page opened with minor findings and the style category unticked
    proc = _chromium(tmp_path, "--dump-dom", page.as_uri() + "#hide=minor,style")
    dom = proc.stdout
    assert "2 finding(s) shown" in dom
    assert 'class="finding hidden" data-sev="minor"' in dom
    assert 'class="finding" data-sev="critical"' in dom
    assert 'class="sev-minor off"' in dom  # the highlight of a hidden finding is switched off
