"""The care types a generated region draws from: their lots, client shares and price ranges."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CareSpec:
    """One care type of the catalogue: its lot, its share of clients, its yearly price range."""

    id: str
    name: str
    lot: str
    share: float
    price_low: float
    price_high: float


# Shares of clients and price ranges (euros per client per year) in the ranges that Dutch regional
# tariff lists show; they are synthetic, not a region's real figures.
CATALOGUE: tuple[CareSpec, ...] = (
    CareSpec("begeleiding", "Jeugdbegeleiding", "ambulant", 0.38, 4000, 6600),
    CareSpec("behandeling", "Ambulante jeugdbehandeling", "ambulant", 0.27, 6000, 9600),
    CareSpec(
        "ggz-specialistisch", "Specialistische jeugd-ggz", "specialistisch", 0.115, 9900, 15300
    ),
    CareSpec("dagbehandeling", "Dagbehandeling", "specialistisch", 0.037, 17000, 27500),
    CareSpec("pleegzorg", "Pleegzorg", "verblijf", 0.028, 15000, 25000),
    CareSpec("gezinshuis", "Gezinshuis", "verblijf", 0.011, 43000, 68000),
    CareSpec("residentieel", "Residentiële jeugdhulp", "verblijf", 0.011, 60000, 120000),
    CareSpec("crisis", "Crisisopvang en crisishulp", "verblijf", 0.007, 7000, 12000),
    CareSpec("dyslexie", "Dyslexiezorg (EED)", "populatie", 0.04, 3400, 5600),
    CareSpec("wijkteam-jeugd", "Jeugdhulp in het gebiedsteam", "populatie", 0.10, 2000, 3400),
)
