"""Charts of event data, drawn without a browser: dyad timelines and actor networks.

A timeline shows events per period stacked by quad class (verbal/material cooperation,
verbal/material conflict) with the period's Goldstein sum as a line on its own axis.
One layout (`timeline_layout`) feeds three renderers: SVG (written by hand, used by the
web pages and `eventwire plot … -o x.svg`), PNG (Pillow) and a self-contained HTML page.
The network is an SVG of the actors of a dyad: one country's actors on the left, the
other's on the right, arrows from source to target sized by how often.

Input is the `eventwire.store.queries.dyads.dyad` result; nothing here touches the database
except `write_dyad_plot`.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

QUAD_COLOURS = {1: "#7fb77e", 2: "#2e7d4f", 3: "#f0a04b", 4: "#c0392b"}
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
GOLDSTEIN_COLOUR = "#2b59c3"
INK, GRID, MUTED = "#222222", "#e3e3e3", "#666666"
FORMATS = (".svg", ".png", ".html")

LinkFor = Callable[[dict[str, Any]], str]


class PlotError(ValueError):
    """A chart cannot be written (unknown format, missing library)."""


# ---------------------------------------------------------------- scales


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k not below `value` (at least 1)."""
    if value <= 1:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _steps(top: float, step: float) -> list[float]:
    return [step * i for i in range(int(round(top / step)) + 1)]


def _ordinal(day: str | dt.date) -> int:
    return (dt.date.fromisoformat(day) if isinstance(day, str) else day).toordinal()


#: Tick units from the finest; a timeline never ticks finer than its period.
TICK_UNITS = ("day", "week", "month", "year")


def _span_unit(span_days: int, max_ticks: int) -> str:
    """The finest tick unit that keeps a span of days readable."""
    if span_days > 3 * 365:
        return "year"
    if span_days > 120:
        return "month"
    return "week" if math.ceil(span_days / max_ticks) >= 7 else "day"


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of months between two dates (both included)."""
    month = first.replace(day=1) if first.day == 1 else (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    starts = []
    while month <= last:
        starts.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return starts


def _tick_dates(first: dt.date, last: dt.date, period: str = "day", max_ticks: int = 8) -> tuple[list[dt.date], str]:
    """Round dates between two dates and their label format: years, months, Mondays or days, whichever is
    the coarser of the timeline's period and what the span allows (a monthly chart ticks months)."""
    span = (last - first).days
    unit = max(_span_unit(span, max_ticks), period if period in TICK_UNITS else "day", key=TICK_UNITS.index)
    if unit == "year":
        first_year = first.year if (first.month, first.day) == (1, 1) else first.year + 1
        years = [dt.date(year, 1, 1) for year in range(first_year, last.year + 1)]
        return years[:: max(1, math.ceil(len(years) / max_ticks))], "%Y"
    if unit == "month":
        months = _month_starts(first, last)
        return months[:: max(1, math.ceil(len(months) / max_ticks))], "%Y-%m"
    step_days = max(1, math.ceil(span / max_ticks))
    if unit == "week":
        step_days = 7 * math.ceil(step_days / 7)
        start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    else:
        start = first
    ticks = []
    day = start
    while day <= last:
        ticks.append(day)
        day += dt.timedelta(days=step_days)
    return ticks, "%Y-%m-%d"


# ---------------------------------------------------------------- layout


@dataclass
class Box:
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass
class BarGroup:
    """One period: its stacked boxes, tooltip and the bucket it came from."""

    bucket: dict[str, Any]
    boxes: list[Box]
    x: float
    width: float
    title: str


@dataclass
class Layout:
    """Everything a renderer needs, in pixels."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    title: str
    bars: list[BarGroup] = field(default_factory=list)
    goldstein_points: list[tuple[float, float]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    g_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    zero_y: float | None = None
    first_day: int = 0
    last_day: int = 0
    empty: bool = False


def _bucket_title(bucket: dict[str, Any]) -> str:
    parts = [f"{QUAD_NAMES[q]} {bucket[f'q{q}']}" for q in (1, 2, 3, 4) if bucket.get(f"q{q}")]
    counts = ", ".join(parts)
    return f"{bucket['label']}: {bucket['events']} events ({counts}); Goldstein {bucket['goldstein']:+.1f}"


def dyad_title(dyad: dict[str, Any]) -> str:
    """`Russia – China: events per month`."""
    names = [dyad.get(f"{side}_name") or dyad[side] for side in ("a", "b")]
    return f"{names[0]} – {names[1]}: events per {dyad['period']}"


def timeline_layout(dyad: dict[str, Any], width: int = 900, height: int = 340, title: str | None = None) -> Layout:
    """Pixel layout of a timeline (a dyad's, or any buckets with a period): stacked quad-class bars,
    Goldstein line, axes; titled `title`, by default the dyad's."""
    layout = Layout(
        width, height, left=56, right=width - 60, top=40, bottom=height - 44, title=title or dyad_title(dyad)
    )
    buckets = dyad["buckets"]
    if not buckets:
        layout.empty = True
        return layout
    first, last = _ordinal(buckets[0]["start"]), _ordinal(buckets[-1]["end"]) + 1
    if last - first < 7:
        first, last = first - 3, last + 3
    layout.first_day, layout.last_day = first, last

    def x_of(day: int) -> float:
        return layout.left + (day - first) / (last - first) * (layout.right - layout.left)

    step = float(math.ceil(nice_ceiling(max(b["events"] for b in buckets) / 4)))  # whole events
    top_count = step * math.ceil(max(b["events"] for b in buckets) / step)
    plot_height = layout.bottom - layout.top

    def y_of(count: float) -> float:
        return layout.bottom - count / top_count * plot_height

    for bucket in buckets:
        x0, x1 = x_of(_ordinal(bucket["start"])), x_of(_ordinal(bucket["end"]) + 1)
        bar_width = max(1.5, (x1 - x0) * 0.86)
        x = (x0 + x1 - bar_width) / 2
        boxes, stacked = [], 0
        for quad in (1, 2, 3, 4):
            count = bucket.get(f"q{quad}", 0)
            if count:
                boxes.append(
                    Box(
                        x,
                        y_of(stacked + count),
                        bar_width,
                        y_of(stacked) - y_of(stacked + count),
                        QUAD_COLOURS[quad],
                    )
                )
                stacked += count
        layout.bars.append(BarGroup(bucket, boxes, x, bar_width, _bucket_title(bucket)))
    layout.y_ticks = [(y_of(value), f"{value:g}") for value in _steps(top_count, step)]
    _goldstein_axis(layout, buckets, x_of)
    ticks, fmt = _tick_dates(dt.date.fromordinal(first), dt.date.fromordinal(last - 1), dyad["period"])
    layout.x_ticks = [(x_of(day.toordinal()), day.strftime(fmt)) for day in ticks]
    return layout


def _goldstein_axis(layout: Layout, buckets: list[dict[str, Any]], x_of: Callable[[int], float]) -> None:
    """Goldstein sums on a symmetric right-hand axis centred on zero."""
    reach = nice_ceiling(max(abs(b["goldstein"]) for b in buckets) or 1.0)
    middle = (layout.top + layout.bottom) / 2
    half = (layout.bottom - layout.top) / 2

    def y_of(value: float) -> float:
        return middle - value / reach * half

    layout.zero_y = middle
    layout.g_ticks = [(y_of(v), f"{v:+g}" if v else "0") for v in (-reach, -reach / 2, 0, reach / 2, reach)]
    for bucket in buckets:
        centre = (x_of(_ordinal(bucket["start"])) + x_of(_ordinal(bucket["end"]) + 1)) / 2
        layout.goldstein_points.append((centre, y_of(bucket["goldstein"])))


# ---------------------------------------------------------------- SVG


def _attrs(**values: Any) -> str:
    """SVG attributes from keywords (`text_anchor` → `text-anchor`, `class_` → `class`), escaped."""
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(_fmt(value))}"' for name, value in values.items())


def _fmt(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, **extra: Any) -> str:
    return f"<line {_attrs(x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, **extra)}/>"


def _text(x: float, y: float, content: str, **extra: Any) -> str:
    return f"<text {_attrs(x=x, y=y, **extra)}>{escape(content)}</text>"


def _rect(x: float, y: float, width: float, height: float, fill: str, **extra: Any) -> str:
    return f"<rect {_attrs(x=x, y=y, width=width, height=height, fill=fill, **extra)}/>"


def _svg_axes(layout: Layout) -> list[str]:
    parts = []
    for y, label in layout.y_ticks:
        parts.append(_line(layout.left, y, layout.right, y, GRID))
        parts.append(_text(layout.left - 6, y + 4, label, text_anchor="end"))
    for y, label in layout.g_ticks:
        parts.append(_text(layout.right + 6, y + 4, label, fill=GOLDSTEIN_COLOUR))
    for x, label in layout.x_ticks:
        parts.append(_line(x, layout.bottom, x, layout.bottom + 5, MUTED))
        parts.append(_text(x, layout.bottom + 18, label, text_anchor="middle", class_="x-tick"))
    parts.append(_line(layout.left, layout.bottom, layout.right, layout.bottom, MUTED))
    parts.append(_text(14, layout.top - 14, "events"))
    parts.append(_text(layout.right + 58, layout.top - 14, "Goldstein Σ", text_anchor="end", fill=GOLDSTEIN_COLOUR))
    return parts


def _svg_bar(group: BarGroup, link_for: LinkFor | None) -> str:
    rects = "".join(_rect(b.x, b.y, b.width, b.height, b.colour) for b in group.boxes)
    bucket = group.bucket
    data = _attrs(class_="bar", data_start=bucket["start"], data_end=bucket["end"], data_events=bucket["events"])
    body = f"<title>{escape(group.title)}</title>{rects}"
    if link_for:
        body = f"<a {_attrs(href=link_for(bucket))}>{body}</a>"
    return f"<g {data}>{body}</g>"


def _svg_goldstein(layout: Layout) -> list[str]:
    """The Goldstein line over the bars; it lets clicks through to the bars below."""
    if not layout.goldstein_points or layout.zero_y is None:
        return []
    zero = _line(
        layout.left,
        layout.zero_y,
        layout.right,
        layout.zero_y,
        GOLDSTEIN_COLOUR,
        stroke_dasharray="3 3",
        stroke_opacity="0.5",
    )
    parts = [f'<g class="goldstein" pointer-events="none">{zero}']
    if len(layout.goldstein_points) > 1:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in layout.goldstein_points)
        parts.append(f"<polyline {_attrs(points=points, fill='none', stroke=GOLDSTEIN_COLOUR, stroke_width=2)}/>")
    for x, y in layout.goldstein_points:
        parts.append(f"<circle {_attrs(cx=x, cy=y, r=3, fill=GOLDSTEIN_COLOUR)}/>")
    parts.append("</g>")
    return parts


def _svg_legend(layout: Layout) -> list[str]:
    parts, x = [], layout.left
    for quad in (1, 2, 3, 4):
        parts.append(_rect(x, layout.height - 16, 10, 10, QUAD_COLOURS[quad]))
        parts.append(_text(x + 14, layout.height - 7, QUAD_NAMES[quad]))
        x += 150
    parts.append(_line(x, layout.height - 11, x + 16, layout.height - 11, GOLDSTEIN_COLOUR, stroke_width=2))
    parts.append(_text(x + 20, layout.height - 7, "Goldstein sum"))
    return parts


def _svg_open(classes: str, width: int, height: int, **data: Any) -> str:
    attributes = _attrs(
        class_=classes,
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        font_family="system-ui, sans-serif",
        font_size=11,
        fill=INK,
        **data,
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}>'


#: What an empty dyad timeline says.
NO_DYAD_EVENTS = "No dated events between these countries."


def timeline_svg(
    dyad: dict[str, Any],
    link_for: LinkFor | None = None,
    width: int = 900,
    height: int = 340,
    title: str | None = None,
    empty: str = NO_DYAD_EVENTS,
    classes: str = "chart timeline",
) -> str:
    """The dyad timeline (or any buckets with a period, titled `title`) as a standalone SVG element;
    bars link to `link_for(bucket)` when given."""
    layout = timeline_layout(dyad, width, height, title)
    parts = [
        _svg_open(
            classes,
            width,
            height,
            data_first_day=layout.first_day,
            data_last_day=layout.last_day,
            data_left=layout.left,
            data_right=layout.right,
            data_period=dyad["period"],
        ),
        f"<title>{escape(layout.title)}</title>",
        _text(layout.left, 18, layout.title, font_size=14, font_weight="600"),
    ]
    if layout.empty:
        parts.append(
            _text(
                width / 2,
                height / 2,
                empty,
                text_anchor="middle",
                fill=MUTED,
            )
        )
    else:
        parts += _svg_axes(layout)
        parts += [_svg_bar(group, link_for) for group in layout.bars]
        parts += _svg_goldstein(layout)
        parts.append(
            _rect(
                0,
                layout.top,
                0,
                layout.bottom - layout.top,
                GOLDSTEIN_COLOUR,
                class_="brush",
                fill_opacity="0.12",
                pointer_events="none",
            )
        )
    parts += _svg_legend(layout)
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- network


def _column_positions(
    nodes: list[dict[str, Any]], x: float, height: float, top: float
) -> dict[str, tuple[float, float]]:
    step = (height - top - 20) / max(len(nodes), 1)
    return {node["id"]: (x, top + step * (i + 0.5)) for i, node in enumerate(nodes)}


def network_layout(
    network: dict[str, Any], a: str, b: str, width: int, height: int, per_side: int = 10
) -> tuple[list[dict[str, Any]], dict[str, tuple[float, float]]]:
    """The nodes shown (A's actors left, B's right, others in the middle) and their positions."""
    columns: dict[str, list[dict[str, Any]]] = {"a": [], "b": [], "other": []}
    for node in network["nodes"]:
        side = "a" if node["country"] == a else "b" if node["country"] == b else "other"
        if len(columns[side]) < per_side:
            columns[side].append(node)
    positions: dict[str, tuple[float, float]] = {}
    for side, x in (("a", width * 0.2), ("other", width * 0.5), ("b", width * 0.8)):
        positions.update(_column_positions(columns[side], x, height, 40))
    shown = columns["a"] + columns["other"] + columns["b"]
    return shown, positions


def _edge_path(start: tuple[float, float], end: tuple[float, float], radius: float) -> str:
    (x0, y0), (x1, y1) = start, end
    if (x0, y0) == (x1, y1):
        return f"M{x0:.1f},{y0 - radius:.1f} c 30,-40 -30,-40 0,0"
    bend = 0.25
    mx, my = (x0 + x1) / 2 - (y1 - y0) * bend, (y0 + y1) / 2 + (x1 - x0) * bend
    distance = math.hypot(x1 - mx, y1 - my) or 1
    ex, ey = x1 - (x1 - mx) / distance * (radius + 3), y1 - (y1 - my) / distance * (radius + 3)
    return f"M{x0:.1f},{y0:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}"


def _node_radius(node: dict[str, Any], most: int) -> float:
    return 5 + 9 * math.sqrt(node["events"] / most)


_ARROWS = "".join(
    f'<marker id="arrow{q}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
    f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{QUAD_COLOURS[q]}"/></marker>'
    for q in (1, 2, 3, 4)
)


def network_svg(
    network: dict[str, Any],
    a: str,
    b: str,
    link_for: Callable[[str], str] | None = None,
    width: int = 900,
    height: int = 360,
) -> str:
    """The actors of a dyad and who acted on whom: arrows coloured by dominant quad class."""
    shown, positions = network_layout(network, a, b, width, height)
    parts = [
        _svg_open("chart network", width, height),
        f"<title>Actors of {escape(a)} – {escape(b)} events</title>",
        f"<defs>{_ARROWS}</defs>",
    ]
    parts += [
        _text(x, 20, label, text_anchor="middle", font_weight="600")
        for x, label in ((width * 0.2, a), (width * 0.8, b))
    ]
    if not shown:
        parts.append(
            _text(width / 2, height / 2, "No events with both actors known.", text_anchor="middle", fill=MUTED)
        )
        return "".join(parts) + "</svg>"
    most_node = max(node["events"] for node in shown)
    radius = {node["id"]: _node_radius(node, most_node) for node in shown}
    labels = {node["id"]: node["label"] for node in shown}
    edges = [e for e in network["edges"] if e["source"] in positions and e["target"] in positions]
    most_edge = max((edge["events"] for edge in edges), default=1)
    for edge in edges:
        path = _edge_path(positions[edge["source"]], positions[edge["target"]], radius[edge["target"]])
        parts.append(_svg_edge(edge, path, 1 + 4 * math.sqrt(edge["events"] / most_edge), labels))
    parts += [_svg_node(node, positions[node["id"]], radius[node["id"]], width, link_for) for node in shown]
    parts.append("</svg>")
    return "".join(parts)


def _svg_edge(edge: dict[str, Any], path: str, stroke: float, labels: dict[str, str]) -> str:
    quad = edge["quad_class"]
    style = _attrs(
        class_="edge",
        d=path,
        fill="none",
        stroke=QUAD_COLOURS[quad],
        stroke_width=stroke,
        stroke_opacity="0.7",
        marker_end=f"url(#arrow{quad})",
    )
    title = (
        f"{labels[edge['source']]} → {labels[edge['target']]}: {edge['events']} events, "
        f"Goldstein {edge['goldstein']:+.1f}"
    )
    return f"<path {style}><title>{escape(title)}</title></path>"


def _svg_node(
    node: dict[str, Any],
    position: tuple[float, float],
    radius: float,
    width: int,
    link_for: Callable[[str], str] | None,
) -> str:
    x, y = position
    anchor = "end" if x < width * 0.35 else "start" if x > width * 0.65 else "middle"
    dx = -radius - 4 if anchor == "end" else radius + 4 if anchor == "start" else 0
    dy = 4 if anchor != "middle" else -radius - 4
    tags = "/".join(t for t in (node["country"], node["sector"]) if t)
    label = node["label"] if len(node["label"]) <= 40 else node["label"][:39] + "…"
    circle_attrs = _attrs(class_="node", cx=x, cy=y, r=radius, fill="#ffffff", stroke=INK, stroke_width=1.5)
    circle = f"<circle {circle_attrs}/>"
    title = f"{node['label']} ({tags}): {node['events']} events"
    body = f"{circle}{_text(x + dx, y + dy, label, text_anchor=anchor)}<title>{escape(title)}</title>"
    if link_for and node.get("key"):
        body = f"<a {_attrs(href=link_for(node['key']))}>{body}</a>"
    return f"<g>{body}</g>"


# ---------------------------------------------------------------- PNG and HTML


def _pillow() -> Any:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise PlotError("PNG output needs Pillow (pip install pillow); SVG and HTML work without it") from error
    return Image, ImageDraw, ImageFont


#: System fonts with wide Unicode coverage, tried in order for PNG text.
SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def _font(image_font: Any, size: int) -> tuple[Any, bool]:
    """A system TrueType font (and True), else Pillow's built-in font (and False: Latin-1 only)."""
    for candidate in SYSTEM_FONTS:
        if Path(candidate).is_file():
            return image_font.truetype(candidate, size), True
    try:
        return image_font.load_default(size=size), False
    except TypeError:  # Pillow without FreeType: fixed-size bitmap font
        return image_font.load_default(), False


def _latin(text: str) -> str:
    """Text the built-in font can draw: dashes as hyphens, accents dropped."""
    text = text.replace("–", "-").replace("—", "-").replace("Σ", "sum")
    return unicodedata.normalize("NFKD", text).encode("latin-1", "ignore").decode("latin-1")


def timeline_png(dyad: dict[str, Any], path: str | Path, width: int = 900, height: int = 340, scale: int = 2) -> None:
    """Write the dyad timeline as a PNG (Pillow), `scale` × the SVG size for sharp text."""
    image_module, draw_module, font_module = _pillow()
    layout = timeline_layout(dyad, width, height)
    image = image_module.new("RGB", (width * scale, height * scale), "white")
    draw = draw_module.Draw(image)
    small, unicode_ok = _font(font_module, 11 * scale)
    big, _ = _font(font_module, 14 * scale)
    title = layout.title if unicode_ok else _latin(layout.title)

    def s(*values: float) -> list[float]:
        return [v * scale for v in values]

    draw.text(s(layout.left, 6), title, fill=INK, font=big)
    if layout.empty:
        draw.text(
            s(width / 2, height / 2),
            "No dated events between these countries.",
            fill=MUTED,
            font=small,
            anchor="mm",
        )
    else:
        _png_axes(draw, layout, s, small)
        for group in layout.bars:
            for box in group.boxes:
                draw.rectangle(s(box.x, box.y, box.x + box.width, box.y + box.height), fill=box.colour)
        _png_goldstein(draw, layout, s, scale)
    _png_legend(draw, layout, s, small)
    image.save(path, format="PNG", optimize=True)


def _png_axes(draw: Any, layout: Layout, s: Callable[..., list[float]], font: Any) -> None:
    for y, label in layout.y_ticks:
        draw.line(s(layout.left, y, layout.right, y), fill=GRID)
        draw.text(s(layout.left - 6, y), label, fill=INK, font=font, anchor="rm")
    for y, label in layout.g_ticks:
        draw.text(s(layout.right + 6, y), label, fill=GOLDSTEIN_COLOUR, font=font, anchor="lm")
    for x, label in layout.x_ticks:
        draw.line(s(x, layout.bottom, x, layout.bottom + 5), fill=MUTED)
        draw.text(s(x, layout.bottom + 14), label, fill=INK, font=font, anchor="mm")
    draw.line(s(layout.left, layout.bottom, layout.right, layout.bottom), fill=MUTED)
    draw.text(s(14, layout.top - 18), "events", fill=INK, font=font)
    draw.text(s(layout.right + 58, layout.top - 18), "Goldstein sum", fill=GOLDSTEIN_COLOUR, font=font, anchor="ra")


def _png_goldstein(draw: Any, layout: Layout, s: Callable[..., list[float]], scale: int) -> None:
    if layout.zero_y is not None:
        x = layout.left
        while x < layout.right:
            draw.line(s(x, layout.zero_y, min(x + 3, layout.right), layout.zero_y), fill=GOLDSTEIN_COLOUR)
            x += 6
    points = [tuple(s(x, y)) for x, y in layout.goldstein_points]
    if len(points) > 1:
        draw.line(points, fill=GOLDSTEIN_COLOUR, width=2 * scale)
    for x, y in points:
        draw.ellipse((x - 3 * scale, y - 3 * scale, x + 3 * scale, y + 3 * scale), fill=GOLDSTEIN_COLOUR)


def _png_legend(draw: Any, layout: Layout, s: Callable[..., list[float]], font: Any) -> None:
    x = layout.left
    for quad in (1, 2, 3, 4):
        draw.rectangle(s(x, layout.height - 16, x + 10, layout.height - 6), fill=QUAD_COLOURS[quad])
        draw.text(s(x + 14, layout.height - 11), QUAD_NAMES[quad], fill=INK, font=font, anchor="lm")
        x += 150
    draw.line(s(x, layout.height - 11, x + 16, layout.height - 11), fill=GOLDSTEIN_COLOUR, width=4)
    draw.text(s(x + 20, layout.height - 11), "Goldstein sum", fill=INK, font=font, anchor="lm")


def _summary_table(dyad: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(b['label'])}</td>"
        + "".join(f"<td>{b[f'q{q}']}</td>" for q in (1, 2, 3, 4))
        + f"<td>{b['events']}</td><td>{b['goldstein']:+.1f}</td></tr>"
        for b in dyad["buckets"]
    )
    head = "".join(f"<th>{QUAD_NAMES[q]}</th>" for q in (1, 2, 3, 4))
    return (
        f"<table><thead><tr><th>{escape(dyad['period'])}</th>{head}<th>events</th><th>Goldstein Σ</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def timeline_html(dyad: dict[str, Any]) -> str:
    """A self-contained HTML page (no scripts, no external files) with the chart and its numbers."""
    title = escape(dyad_title(dyad))
    style = (
        "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}svg{max-width:100%;height:auto}"
        "table{border-collapse:collapse;margin-top:1rem;font-size:.9rem}"
        "td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:right}"
        "th:first-child,td:first-child{text-align:left}"
    )
    undated = f"<p>{dyad['undated']} undated events are not shown.</p>" if dyad.get("undated") else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{style}</style></head><body><h1>{title}</h1>{timeline_svg(dyad)}{undated}"
        f"{_summary_table(dyad)}</body></html>\n"
    )


def write_timeline(dyad: dict[str, Any], output: str | Path) -> Path:
    """Write the timeline to `output`; the format follows its suffix (.svg, .png, .html)."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PlotError(f"{path.name}: unknown chart format {suffix or '(none)'}; use {', '.join(FORMATS)}")
    if suffix == ".png":
        timeline_png(dyad, path)
    elif suffix == ".svg":
        path.write_text(timeline_svg(dyad) + "\n", encoding="utf-8")
    else:
        path.write_text(timeline_html(dyad), encoding="utf-8")
    return path


def trend_svg(trend: dict[str, Any]) -> str:
    """The overview's trend (`queries.trend.weekly_trend`): every event per week by quad class."""
    return timeline_svg(
        trend,
        title="All events per week (every confidence)",
        empty="No dated events yet.",
        classes="chart timeline-trend",
    )


def dyad_events_link(dyad: dict[str, Any]) -> LinkFor:
    """Link of a timeline bar: the dyad's events in that bar's period, every confidence (as the bar counts them)."""
    base = f"/dyad/{quote(dyad['a'], safe='')}/{quote(dyad['b'], safe='')}/events"
    return lambda bucket: f"{base}?{urlencode({'start': bucket['start'], 'end': bucket['end'], 'min_confidence': 0})}"


def write_dyad_plot(
    db: str,
    a: str,
    b: str,
    output: str | Path,
    period: str = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Path:
    """Query the dyad timeline from the store at `db` and write it to `output`."""
    from eventwire.store import open_repository, queries

    with open_repository(db) as repository:
        dyad = queries.dyad(repository.engine, a, b, period, start, end, network=False)
    return write_timeline(dyad, output)
