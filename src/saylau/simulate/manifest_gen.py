"""A synthetic primaries manifest: each district has its own ballot style with a vote-for-1
contest of 12 options (11 candidates + "against all") and a vote-for-up-to-3 contest of 8
options (7 candidates + "against all")."""

from __future__ import annotations

from typing import Any

from saylau.simulate.names import AGAINST_ALL, REGIONS, SURNAMES


def _name(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


def _options(prefix: str, n_candidates: int, offset: int) -> list[dict[str, Any]]:
    opts = []
    for i in range(n_candidates):
        kk, ru, en = SURNAMES[(offset + i) % len(SURNAMES)]
        opts.append(
            {"id": f"{prefix}-{i + 1:02d}", "name": _name(kk, ru, en), "against_all": False}
        )
    opts.append({"id": f"{prefix}-aa", "name": dict(AGAINST_ALL), "against_all": True})
    return opts


def make_manifest(election_id: str, districts: int) -> dict[str, Any]:
    if not 1 <= districts <= len(REGIONS):
        raise ValueError(f"between 1 and {len(REGIONS)} districts")
    ds, styles, contests = [], [], []
    for k in range(districts):
        code, kk, ru, en = REGIONS[k]
        mazhilis, maslikhat = f"{code}-mazhilis", f"{code}-maslikhat"
        contests.append(
            {
                "id": mazhilis,
                "min_marks": 1,
                "max_marks": 1,
                "name": _name(f"{kk}: Мәжіліс", f"{ru}: Мажилис", f"{en}: Mazhilis"),
                "options": _options(mazhilis, 11, k),
            }
        )
        contests.append(
            {
                "id": maslikhat,
                "min_marks": 0,
                "max_marks": 3,
                "name": _name(f"{kk}: мәслихат", f"{ru}: маслихат", f"{en}: maslikhat"),
                "options": _options(maslikhat, 7, k + 5),
            }
        )
        styles.append({"id": f"{code}-style", "contests": [mazhilis, maslikhat]})
        ds.append({"id": code, "name": _name(kk, ru, en), "ballot_style": f"{code}-style"})
    return {
        "schema": "saylau-manifest/1",
        "election_id": election_id,
        "title": _name("Праймериз (модельдеу)", "Праймериз (симуляция)", "Primaries (simulation)"),
        "districts": ds,
        "ballot_styles": styles,
        "contests": contests,
    }
