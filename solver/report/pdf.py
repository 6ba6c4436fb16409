"""The report as an A4 PDF, printed by headless Chromium (the page's own print CSS breaks pages)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class PdfError(RuntimeError):
    """No browser to print with, or it failed: the message says which and what to do."""


def find_browser() -> str | None:
    """The first Chromium on PATH, or None."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(html: Path, pdf: Path, *, timeout_s: float = 120.0) -> Path:
    """Print `html` to `pdf` (A4, no header or footer) and return `pdf`."""
    browser = find_browser()
    if browser is None:
        raise PdfError("--pdf needs Chromium on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:  # its own profile: no lock with a user's
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not print {html} within {timeout_s:.0f} s") from None
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise PdfError(f"Chromium could not print {html}: {tail[0]}")
    return pdf
