"""QR codes for printed survey sheets (segno: pure Python, no image library needed)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, *, scale: int = 4, title: str = "") -> str:
    """An inline <svg> of the QR code for `url`, error correction M, with a quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="qr",
        lineclass=None,
        omitsize=False,
    )
    return buffer.getvalue().decode("utf-8")
