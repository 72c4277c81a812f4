"""The HQ map as inline SVG (no tiles, no script): Kazakhstan's regions (the bundled
Natural Earth outlines, static/observation/README.md) coloured by the share of their stations
with an observer present, outlined red where incidents were reported, and the stations with
coordinates as dots. Equirectangular, longitude 46°–88° E, latitude 40°–56° N."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau.observation.dashboard import StationRow

REGIONS = Path(__file__).parent / "static" / "observation" / "kz-regions.geo.json"

WEST, EAST, SOUTH, NORTH = 46.0, 88.0, 40.0, 56.0
WIDTH, HEIGHT = 840, 400


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    row: StationRow

    @property
    def css(self) -> str:
        ring = " incidents" if self.row.incidents else ""
        return f"dot coverage-{self.row.coverage}{ring}"


def _xy(lon: float, lat: float) -> tuple[float, float]:
    x = (lon - WEST) / (EAST - WEST) * WIDTH
    y = (NORTH - lat) / (NORTH - SOUTH) * HEIGHT
    return round(x, 1), round(y, 1)


@functools.cache
def _outlines() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """(name, today's codes, SVG path) of each bundled region."""
    data: dict[str, Any] = json.loads(REGIONS.read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        parts = []
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                points = " ".join(",".join(map(str, _xy(lon, lat))) for lon, lat in ring)
                parts.append(f"M{points}Z")
        props = feature["properties"]
        out.append((str(props["name"]), tuple(props["codes"]), " ".join(parts)))
    return tuple(out)


@dataclass(frozen=True)
class Region:
    name: str
    path: str
    stations: int
    present: int
    incidents: int

    @property
    def css(self) -> str:
        if not self.stations:
            share = "none"
        elif self.present * 2 >= self.stations:
            share = "high"
        else:
            share = "low" if self.present else "zero"
        return f"region share-{share}" + (" incidents" if self.incidents else "")


def regions(rows: list[StationRow]) -> list[Region]:
    out = []
    for name, codes, path in _outlines():
        mine = [r for r in rows if r.station.district in codes]
        present = sum(1 for r in mine if r.coverage == "present")
        incidents = sum(r.incidents for r in mine)
        out.append(Region(name, path, len(mine), present, incidents))
    return out


def dots(rows: list[StationRow]) -> list[Dot]:
    out = []
    for row in rows:
        s = row.station
        if s.latitude is None or s.longitude is None:
            continue
        lon, lat = float(s.longitude), float(s.latitude)
        if not (WEST <= lon <= EAST and SOUTH <= lat <= NORTH):
            continue
        x, y = _xy(lon, lat)
        out.append(Dot(x, y, row))
    return out
