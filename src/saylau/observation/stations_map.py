"""The stations drawn as dots on an SVG of Kazakhstan's extent (no tiles, no script):
equirectangular, longitude 46°–88° E, latitude 40°–56° N; colour by coverage, a ring when
the station has incidents. Stations without coordinates are left for the table."""

from __future__ import annotations

from dataclasses import dataclass

from saylau.observation.dashboard import StationRow

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


def dots(rows: list[StationRow]) -> list[Dot]:
    out = []
    for row in rows:
        s = row.station
        if s.latitude is None or s.longitude is None:
            continue
        lon, lat = float(s.longitude), float(s.latitude)
        if not (WEST <= lon <= EAST and SOUTH <= lat <= NORTH):
            continue
        x = (lon - WEST) / (EAST - WEST) * WIDTH
        y = (NORTH - lat) / (NORTH - SOUTH) * HEIGHT
        out.append(Dot(round(x, 1), round(y, 1), row))
    return out
