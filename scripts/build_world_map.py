"""Build src/eventwire/web/static/world.svg, the base map of the /map page, from Natural Earth.

Source: the npm package `world-atlas` (2.0.2, ISC), Natural Earth's Admin 0 countries at 1:110m
(version 4.1.0, public domain) as TopoJSON, `countries-110m.json`. The script fetches the package with
the ordinary npm client (`npm pack`) unless `--topojson` names a copy of the file, decodes the
topology, projects every ring with `eventwire.worldmap.project` (Natural Earth I, the projection the
map's points use), drops points closer than `--tolerance` map units to the last one kept and rings
smaller than a pixel, leaves out Antarctica, and writes one `<path id="ISO3">` per country.
The output is deterministic: the same input gives the same bytes.

Run: .venv/bin/python scripts/build_world_map.py [--topojson countries-110m.json] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pycountry

from eventwire.worldmap import HEIGHT, WIDTH, project

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "src" / "eventwire" / "web" / "static" / "world.svg"
PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/countries-110m.json"
ANTARCTICA = "010"
OCEAN, LAND, BORDER = "#eaf1f6", "#dde2d6", "#ffffff"

Point = tuple[float, float]


def fetch_topojson(workdir: Path) -> dict:
    """countries-110m.json from the world-atlas package, fetched by `npm pack` into `workdir`."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--pack-destination", str(workdir)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"build_world_map: npm pack {PACKAGE} failed: {result.stderr.strip().splitlines()[-1:]}")
    tarball = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            sys.exit(f"build_world_map: {tarball.name} has no {MEMBER}")
        return json.load(member)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """The topology's arcs as longitude/latitude points (delta-decoded and de-quantized)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring of arc indices (~i: arc i reversed) as one list of points, shared ends kept once."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def country_rings(geometry: dict, arcs: list[list[Point]]) -> Iterator[list[Point]]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon geometry."""
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
    for polygon in polygons:
        for ring in polygon:
            yield ring_points(ring, arcs)


def unwrapped(points: list[Point]) -> list[Point]:
    """Longitudes made continuous along the ring (a step across the antimeridian adds or takes 360)."""
    result = [points[0]]
    for lon, lat in points[1:]:
        previous = result[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        result.append((lon, lat))
    return result


def clipped(points: list[Point], west: float, east: float) -> list[Point]:
    """The part of a ring between two meridians (Sutherland–Hodgman, planar in degrees)."""

    def cut(ring: list[Point], inside, edge: float) -> list[Point]:
        out: list[Point] = []
        for (x0, y0), (x1, y1) in zip(ring[-1:] + ring[:-1], ring, strict=True):
            if inside(x1) != inside(x0):
                out.append((edge, y0 + (y1 - y0) * (edge - x0) / (x1 - x0)))
            if inside(x1):
                out.append((x1, y1))
        return out

    ring = cut(points, lambda x: x >= west, west)
    return cut(ring, lambda x: x <= east, east) if ring else []


def split_at_antimeridian(points: list[Point]) -> list[list[Point]]:
    """A ring as one or more rings within −180 … 180°: a ring crossing the antimeridian is cut there."""
    ring = unwrapped(points)
    if all(-180 <= lon <= 180 for lon, _ in ring):
        return [ring]
    pieces = []
    for turn in (-1, 0, 1):
        piece = clipped(ring, -180 + 360 * turn, 180 + 360 * turn)
        if len(piece) >= 3:
            pieces.append([(lon - 360 * turn, lat) for lon, lat in piece])
    return pieces


def simplified(points: list[Point], tolerance: float) -> list[Point]:
    """Projected, rounded points, dropping each closer than `tolerance` to the last kept one."""
    kept: list[Point] = []
    for lon, lat in points:
        x, y = project(lon, lat)
        point = (round(x, 1), round(y, 1))
        if not kept or abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
            kept.append(point)
    return kept


def area(points: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))) / 2


def path_data(rings: list[list[Point]]) -> str:
    """SVG path data: each ring an absolute move then relative lines (exact: deltas of rounded points)."""

    def number(value: float) -> str:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    parts = []
    for ring in rings:
        (x0, y0), rest = ring[0], ring[1:]
        steps = []
        for (xa, ya), (xb, yb) in zip(ring, rest, strict=False):
            dx, dy = number(xb - xa), number(yb - ya)
            steps.append(f"{dx}{dy if dy.startswith('-') else ' ' + dy}")
        parts.append(f"M{number(x0)} {number(y0)}l" + " ".join(steps) + "z")
    return "".join(parts)


def iso3(numeric: str | None) -> str | None:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_3 if country else None


def world_svg(topology: dict, tolerance: float) -> str:
    """The base map: an ocean rectangle and one path per country, in the map's projection."""
    arcs = decode_arcs(topology)
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        pieces = [piece for ring in country_rings(geometry, arcs) for piece in split_at_antimeridian(ring)]
        rings = [simplified(piece, tolerance) for piece in pieces]
        rings = [ring for ring in rings if len(ring) >= 3 and area(ring) >= 1.0]
        if not rings:
            continue
        code = iso3(geometry.get("id"))
        identifier = f' id="{code}"' if code else ""
        paths.append(f'<path{identifier} d="{path_data(rings)}"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        f'width="{WIDTH:g}" height="{HEIGHT:g}">\n'
        "<!-- Natural Earth 1:110m Admin 0 countries (public domain), via world-atlas 2.0.2; "
        "built by scripts/build_world_map.py -->\n"
        f'<rect width="{WIDTH:g}" height="{HEIGHT:g}" fill="{OCEAN}"/>\n'
        f'<g fill="{LAND}" stroke="{BORDER}" stroke-width="0.6" stroke-linejoin="round">\n'
        + "\n".join(paths)
        + "\n</g>\n</svg>\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="a local countries-110m.json (default: npm pack world-atlas)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tolerance", type=float, default=0.8, help="smallest step kept, in map units")
    args = parser.parse_args()
    if args.topojson:
        try:
            topology = json.loads(args.topojson.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            sys.exit(f"build_world_map: {args.topojson}: cannot read TopoJSON ({error})")
    else:
        with tempfile.TemporaryDirectory() as workdir:
            topology = fetch_topojson(Path(workdir))
    svg = world_svg(topology, args.tolerance)
    args.out.write_text(svg, encoding="utf-8")
    print(f"{args.out}: {len(svg.encode()) / 1024:.0f} KB, {svg.count('<path')} countries")


if __name__ == "__main__":
    main()
