"""Draw the SchoolVault app icon: resources/icons/schoolvault.{svg,png,ico}.

One geometry (a white shield with a check mark on a blue rounded square, in a 256-unit box)
feeds both the SVG and the Pillow raster, so the three files always agree. The outputs are
committed; run this again only after changing the drawing:

    .venv/bin/python installer/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
BLUE = "#1f5fa8"
DARK = "#16467d"
WHITE = "#ffffff"
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]
SUPERSAMPLE = 4  # draw large, then downsample: Pillow's polygons are not anti-aliased

# Shield outline: straight top edges, two quadratic curves meeting at the bottom tip.
SHIELD_TOP = (128, 40)
SHIELD_SHOULDERS = ((196, 64), (60, 64))
SHIELD_SIDE_Y = 124
SHIELD_TIP = (128, 222)
SHIELD_CTRL = ((196, 190), (60, 190))
CHECK = [(94, 130), (120, 156), (164, 104)]
CHECK_WIDTH = 20


def _quad(p0, c, p1, steps=24):
    return [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p1[0],
             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p1[1])
            for t in (i / steps for i in range(steps + 1))]


def shield_points() -> list[tuple[float, float]]:
    (rx, ry), (lx, ly) = SHIELD_SHOULDERS
    right = _quad((rx, SHIELD_SIDE_Y), SHIELD_CTRL[0], SHIELD_TIP)
    left = _quad(SHIELD_TIP, SHIELD_CTRL[1], (lx, SHIELD_SIDE_Y))
    return [SHIELD_TOP, (rx, ry), *right, *left[1:], (lx, ly)]


def svg() -> str:
    (rx, ry), (lx, ly) = SHIELD_SHOULDERS
    (crx, cry), (clx, cly) = SHIELD_CTRL
    tx, ty = SHIELD_TIP
    check = " ".join(f"{x},{y}" for x, y in CHECK)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256">
  <title>SchoolVault</title>
  <rect x="8" y="8" width="240" height="240" rx="52" fill="{BLUE}"/>
  <path d="M{SHIELD_TOP[0]},{SHIELD_TOP[1]} L{rx},{ry} L{rx},{SHIELD_SIDE_Y} Q{crx},{cry} {tx},{ty} Q{clx},{cly} {lx},{SHIELD_SIDE_Y} L{lx},{ly} Z" fill="{WHITE}"/>
  <polyline points="{check}" fill="none" stroke="{DARK}" stroke-width="{CHECK_WIDTH}" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def raster(size: int = 256) -> Image.Image:
    s = size * SUPERSAMPLE / 256
    big = Image.new("RGBA", (round(256 * s), round(256 * s)), (0, 0, 0, 0))
    d = ImageDraw.Draw(big)
    d.rounded_rectangle([8 * s, 8 * s, 248 * s, 248 * s], radius=52 * s, fill=BLUE)
    d.polygon([(x * s, y * s) for x, y in shield_points()], fill=WHITE)
    pts = [(x * s, y * s) for x, y in CHECK]
    w = CHECK_WIDTH * s
    d.line(pts, fill=DARK, width=round(w), joint="curve")
    for x, y in (pts[0], pts[-1]):  # round caps
        d.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=DARK)
    return big.resize((size, size), Image.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "schoolvault.svg").write_text(svg(), encoding="utf-8")
    raster(256).save(ICONS / "schoolvault.png", optimize=True)
    # Each ICO size drawn at its own resolution, not scaled down from 256, so 16 px stays crisp.
    frames = [raster(n) for n in ICO_SIZES]
    frames[-1].save(ICONS / "schoolvault.ico", sizes=[(n, n) for n in ICO_SIZES], append_images=frames[:-1])
    for name in ("schoolvault.svg", "schoolvault.png", "schoolvault.ico"):
        print(ICONS / name, (ICONS / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
