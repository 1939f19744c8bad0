"""The app icons of the web app manifest (192 and 512 px, and a maskable 512 px one), drawn from
the favicon's shape: a knee's outline in white on the site's blue. Run
`.venv/bin/python -m itbcare.icons` to draw them again into static/img/icons/ (Pillow)."""

from __future__ import annotations

from pathlib import Path

BLUE = (11, 92, 173, 255)  # --accent of the light theme
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "icons"


def draw(size: int, *, maskable: bool):
    """One icon. A maskable icon fills the square and keeps the glyph inside the middle 80 %
    (the safe zone every mask shape leaves visible); the others have rounded corners."""
    from PIL import Image, ImageDraw

    scale = 4  # drawn large, then scaled down: smooth edges without anti-aliasing support
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BLUE)
        inner, offset = big * 0.6, big * 0.2
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 // 32, fill=BLUE)
        inner, offset = big, 0.0
    unit = inner / 32  # the favicon's 32-unit grid

    def at(x: float, y: float) -> tuple[float, float]:
        return (offset + x * unit, offset + y * unit)

    width = round(3 * unit)
    # The favicon's path: down from (11, 5) to (11, 15), a half circle to (21, 15), up to (21, 5);
    # then the stem from (16, 21) to (16, 28).
    pen.line([at(11, 5), at(11, 15)], fill=WHITE, width=width)
    pen.line([at(21, 5), at(21, 15)], fill=WHITE, width=width)
    # PIL draws an arc's width inward from its box: the box is the outer edge of the stroke.
    box = (*at(9.5, 8.5), *at(22.5, 21.5))
    pen.arc(box, start=0, end=180, fill=WHITE, width=width)
    pen.line([at(16, 20), at(16, 28)], fill=WHITE, width=width)
    for x, y in ((11, 5), (21, 5), (16, 28)):  # round caps
        cx, cy = at(x, y)
        r = width / 2
        pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
