"""Checks on a drawn figure's SVG: every text inside its viewBox, no number in scientific
notation, no text too small to read at the figure's own size.

Used by the build on every forest-style figure (adapters/guideline.py) and by the tests on the
built guide's SVGs and on a fixture with deliberate faults. Plain XML, no matplotlib: a text's
box is estimated from its anchor (``x``/``y`` or ``transform``, with the transforms of the
groups around it), its ``text-anchor``, its font size and DejaVu Sans' advance widths by
character class, rounded up, so a text that fits by the estimate fits on screen.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
# The smallest text the figures may use, in viewBox units: the page never shows a figure below
# its own size (it scrolls sideways instead), so 9 units is at least 9 px.
MIN_FONT_SIZE = 9.0
# "6×10⁻¹", "6×10−1" (matplotlib's mathtext as tspans), "1e-05", "1E+3", or a bare exponent.
SCIENTIFIC = re.compile(r"×\s*10|\d[eE][+\-−]?\d|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]|\\times|10\^")
TRANSFORM = re.compile(r"(translate|rotate|scale)\(([^)]*)\)")
NARROW, WIDE = set("iljtfrI.,:;|!'()[] "), set("mwMW—%@")


def text_width(text: str, size: float) -> float:
    """An upper estimate of the advance width of ``text`` in DejaVu Sans at ``size``."""
    width = 0.0
    for char in text:
        if char in NARROW:
            width += 0.40
        elif char in WIDE:
            width += 1.0
        elif char.isupper() or char.isdigit():
            width += 0.76
        else:
            width += 0.64
    return width * size


def transform_points(transform: str, points: list[tuple[float, float]]
                     ) -> list[tuple[float, float]]:
    """Apply an SVG ``transform`` list (translate, rotate, scale) to ``points``."""
    for name, args in reversed(TRANSFORM.findall(transform or "")):
        values = [float(v) for v in re.split(r"[\s,]+", args.strip()) if v]
        if name == "translate":
            dx, dy = values[0], values[1] if len(values) > 1 else 0.0
            points = [(x + dx, y + dy) for x, y in points]
        elif name == "scale":
            sx = values[0]
            sy = values[1] if len(values) > 1 else sx
            points = [(x * sx, y * sy) for x, y in points]
        else:
            angle = math.radians(values[0])
            cx, cy = (values[1], values[2]) if len(values) == 3 else (0.0, 0.0)
            cos, sin = math.cos(angle), math.sin(angle)
            points = [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
                      for x, y in points]
    return points


def style_of(element: ET.Element, inherited: dict[str, str]) -> dict[str, str]:
    style = dict(inherited)
    for part in (element.get("style") or "").split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            style[key.strip()] = value.strip()
    for key in ("font-size", "text-anchor", "font-weight"):
        if element.get(key):
            style[key] = element.get(key)
    return style


def text_boxes(svg: str) -> list[tuple[str, float, list[tuple[float, float]]]]:
    """Each text run of the SVG: (text, font size, its box's corners in viewBox units)."""
    root = ET.fromstring(svg)
    found = []

    def walk(element, transforms: list[str], style: dict[str, str]) -> None:
        style = style_of(element, style)
        transforms = [*transforms, element.get("transform") or ""]
        if element.tag == f"{SVG}text":
            runs = [(element, element.text or "")] if (element.text or "").strip() else []
            runs += [(span, span.text or "") for span in element.iter(f"{SVG}tspan")]
            for run, content in runs:
                if not content.strip():
                    continue
                run_style = style_of(run, style) if run is not element else style
                size = float(re.sub(r"[a-z]+$", "", run_style.get("font-size", "10px")))
                x = float(run.get("x") or element.get("x") or 0)
                y = float(run.get("y") or element.get("y") or 0)
                width = text_width(content, size) * (1.1 if "bold" in
                                                      run_style.get("font-weight", "") else 1)
                start = {"middle": x - width / 2, "end": x - width}.get(
                    run_style.get("text-anchor", "start"), x)
                corners = [(start, y - 0.8 * size), (start + width, y - 0.8 * size),
                           (start, y + 0.25 * size), (start + width, y + 0.25 * size)]
                # the element's own transform applies to its runs, then each group's, outwards
                for transform in reversed(transforms):
                    corners = transform_points(transform, corners)
                found.append((content, size, corners))
            return
        for child in element:
            walk(child, transforms, style)

    walk(root, [], {})
    return found


def svg_problems(svg: str, name: str = "figure") -> list[str]:
    """What is wrong with a figure's SVG, one message each (none when it is fine)."""
    root = ET.fromstring(svg)
    viewbox = root.get("viewBox") or root.get("viewbox") or ""  # HTML parsers lowercase it
    box = [float(v) for v in re.split(r"[\s,]+", viewbox.strip()) if v]
    if len(box) != 4:
        return [f"{name}: the SVG has no viewBox"]
    left, top, width, height = box
    problems = []
    texts: dict[int, str] = {}
    for element in root.iter(f"{SVG}text"):  # a text's runs read together ("6×10−1")
        texts[id(element)] = "".join(part.strip() for part in element.itertext())
    for joined in texts.values():
        if SCIENTIFIC.search(joined):
            problems.append(f'{name}: "{joined.strip()}" is in scientific notation; give the '
                            "ticks plain decimals (0.25, 0.5, 1, 2, 4)")
    for content, size, corners in text_boxes(svg):
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        if (min(xs) < left - 0.5 or max(xs) > left + width + 0.5 or min(ys) < top - 0.5
                or max(ys) > top + height + 0.5):
            problems.append(
                f'{name}: the text "{content.strip()}" reaches outside the viewBox (x '
                f"{min(xs):.0f} to {max(xs):.0f}, y {min(ys):.0f} to {max(ys):.0f}, in 0 to "
                f"{width:.0f} × 0 to {height:.0f}); shorten or wrap it, or widen the figure")
        if size < MIN_FONT_SIZE:
            problems.append(f'{name}: the text "{content.strip()}" is {size:g} units, below '
                            f"{MIN_FONT_SIZE:g}: too small to read")
    return problems
