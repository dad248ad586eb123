"""The HTML report in a real headless Chromium (Debian's package): the charts render with real sizes."""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

from adapters.cli import main

CHARTS = ("chart-days", "chart-outcomes", "chart-intents")
# Appended to a copy of the page (the report itself has no script): writes each chart's rendered box and
# how many bars drew with a non-zero size into the DOM, which --dump-dom then prints.
MEASURE = """<script>
for (const svg of document.querySelectorAll("svg.chart")) {
  const box = svg.getBoundingClientRect();
  const bars = [...svg.querySelectorAll("rect.bar")].filter(r => {
    const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length;
  svg.setAttribute("data-box", `${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.width)},` +
                   `${Math.round(box.height)},${bars}`);
}
</script>"""


def chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--window-size=1200,1600", *args],
        capture_output=True, text=True, timeout=90, check=True)


def png_rows(path: Path) -> tuple[int, list[bytes]]:
    """The width and the unfiltered RGB(A) rows of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return bpp, rows


def test_the_charts_render_in_headless_chromium(records_url, tmp_path, require_tool, monkeypatch, capsys):
    binary = require_tool("chromium", "the HTML report test")
    monkeypatch.delenv("WHOSWHO_DATABASE_URL", raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path / "data"))
    page = tmp_path / "report.html"
    assert main(["insights", "--database", records_url, "--html", str(page)]) == 0
    capsys.readouterr()
    html = page.read_text(encoding="utf-8")

    measured = tmp_path / "measured.html"
    measured.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium(binary, tmp_path / "profile", "--dump-dom", measured.as_uri()).stdout
    boxes = {}
    for chart in CHARTS:
        found = re.search(rf'<svg id="{chart}"[^>]*data-box="(-?\d+),(-?\d+),(\d+),(\d+),(\d+)"', dom)
        assert found, f"{chart} was not rendered"
        left, top, width, height, bars = map(int, found.groups())
        assert width > 100 and height > 40, f"{chart} rendered at {width}x{height}"
        assert bars > 0, f"{chart} drew no bars"
        boxes[chart] = (left, top, width, height)
    assert int(re.search(r'id="chart-days"[^>]*data-box="[^"]*,(\d+)"', dom).group(1)) == 2  # two days
    assert int(re.search(r'id="chart-intents"[^>]*data-box="[^"]*,(\d+)"', dom).group(1)) == 2  # two intents

    shot = tmp_path / "report.png"
    chromium(binary, tmp_path / "profile", f"--screenshot={shot}", page.as_uri())
    bpp, rows = png_rows(shot)
    checked = 0
    for chart, (left, top, width, height) in boxes.items():
        if top + height > len(rows):
            continue  # below the fold of the 1600-pixel window
        region = [row[left * bpp:(left + width) * bpp] for row in rows[top:top + height]]
        coloured = sum(1 for row in region for i in range(0, len(row), bpp)
                       if max(row[i:i + 3]) - min(row[i:i + 3]) > 60)  # a saturated pixel: a bar, not text
        assert coloured > 500, f"{chart} is blank in the screenshot ({coloured} coloured pixels)"
        checked += 1
    assert checked >= 2


def test_one_day_by_hour_renders_in_headless_chromium(one_day_url, tmp_path, require_tool, monkeypatch, capsys):
    binary = require_tool("chromium", "the HTML report test")
    monkeypatch.delenv("WHOSWHO_DATABASE_URL", raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path / "data"))
    page = tmp_path / "day.html"
    assert main(["insights", "--database", one_day_url, "--html", str(page)]) == 0
    capsys.readouterr()
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium(binary, tmp_path / "profile", "--dump-dom", measured.as_uri()).stdout
    found = re.search(r'<svg id="chart-hours"[^>]*data-box="(-?\d+),(-?\d+),(\d+),(\d+),(\d+)"', dom)
    assert found, "the hourly chart was not rendered"
    left, top, width, height, bars = map(int, found.groups())
    assert width > 100 and height > 40
    assert bars == 3, "a bar for each of the three hours with questions"
    # The long example's whole text is in the page, folded away until its toggle is opened.
    assert "<details><summary>I have been a backend developer" in dom

    shot = tmp_path / "day.png"
    chromium(binary, tmp_path / "profile", f"--screenshot={shot}", page.as_uri())
    bpp, rows = png_rows(shot)
    region = [row[left * bpp:(left + width) * bpp] for row in rows[top:top + height]]
    coloured = sum(1 for row in region for i in range(0, len(row), bpp)
                   if max(row[i:i + 3]) - min(row[i:i + 3]) > 60)
    assert coloured > 500, f"the hourly chart is blank in the screenshot ({coloured} coloured pixels)"
