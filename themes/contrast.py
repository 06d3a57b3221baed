"""How readable a theme is: WCAG contrast ratios and colour-blind distance.

Plain arithmetic, so a test (or `heartline doctor`) can check any theme file:
the WCAG 2 relative-luminance contrast ratio, and the CIE76 distance between
two colours as a person with protanopia or deuteranopia sees them (Machado,
Oliveira and Fernandes 2009, severity 1.0).
"""

from __future__ import annotations

from textual.color import Color
from textual.theme import Theme

PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
SIGHT = {"typical": None, "protanopia": PROTANOPIA, "deuteranopia": DEUTERANOPIA}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _srgb(value: float) -> float:
    value = min(1.0, max(0.0, value))
    return value * 12.92 if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055


def luminance(colour: Color) -> float:
    r, g, b = (_linear(c) for c in colour.rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def resolve(value: str, under: Color) -> Color:
    """A CSS colour value as painted over `under` ("auto 60%" and alpha included)."""
    value = value.strip()
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if len(value.split()) > 1 else 1.0
        return under + under.get_contrast_text(alpha)
    parts = value.split()
    colour = Color.parse(parts[0])
    if len(parts) > 1 and parts[1].endswith("%"):
        colour = colour.with_alpha(float(parts[1].rstrip("%")) / 100)
    return under + colour if colour.a < 1 else colour


def seen_as(colour: Color, sight: str) -> Color:
    matrix = SIGHT[sight]
    if matrix is None:
        return colour
    lin = [_linear(c) for c in colour.rgb]
    out = [sum(m * c for m, c in zip(row, lin)) for row in matrix]
    return Color(*(round(_srgb(v) * 255) for v in out))


def _lab(colour: Color) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in colour.rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(a: Color, b: Color, sight: str = "typical") -> float:
    """CIE76 ΔE between two colours as seen with `sight`."""
    la, lb = _lab(seen_as(a, sight)), _lab(seen_as(b, sight))
    return sum((p - q) ** 2 for p, q in zip(la, lb)) ** 0.5


def main_pairs(theme: Theme) -> dict[str, tuple[Color, Color]]:
    """The pairs a couple reads most: (text colour, what it sits on), by what they are."""
    v = theme.to_color_system().generate()
    v.update(theme.variables)
    bg = Color.parse(v["background"])
    panel = Color.parse(v["panel"])
    surface = Color.parse(v["surface"])
    primary = Color.parse(v["primary"])
    banner = resolve(f"{v['accent']} 30%", bg)
    return {
        "text": (resolve(v["text"], bg), bg),
        "text on surface": (resolve(v["text"], surface), surface),
        "text on the key bar": (resolve(v["text"], panel), panel),
        "muted text": (resolve(v["text-muted"], bg), bg),
        "muted text on the key bar": (resolve(v["text-muted"], panel), panel),
        "the floor label": (bg, primary),
        "the turn banner": (resolve(v["text"], banner), banner),
        "warnings": (Color.parse(v["warning"]), bg),
        "errors": (Color.parse(v["error"]), bg),
        "left partner": (Color.parse(v["partner-left"]), bg),
        "right partner": (Color.parse(v["partner-right"]), bg),
    }


def partner_colours(theme: Theme) -> tuple[Color, Color]:
    return Color.parse(theme.variables["partner-left"]), Color.parse(theme.variables["partner-right"])
