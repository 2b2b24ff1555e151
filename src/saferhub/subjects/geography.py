"""British National Grid ↔ latitude and longitude (WGS84), pure arithmetic.

Places are often recorded as grid references (a council's gazetteer, a police system) while the
evidence store's boundaries are GeoJSON in longitude and latitude. The conversion follows the
Ordnance Survey's "A guide to coordinate systems in Great Britain": the transverse Mercator
projection on the Airy 1830 ellipsoid (OSGB36), and a seven-parameter Helmert transformation
between OSGB36 and WGS84, good to about 5 metres: ample for telling which ward or LSOA a
place is in (OSTN15 would be needed for survey-grade work).
"""

from __future__ import annotations

from math import atan2, cos, radians, sin, sqrt, tan
from math import degrees as deg

# Airy 1830 (OSGB36) and GRS80/WGS84 ellipsoids: semi-major and semi-minor axes in metres.
AIRY = (6_377_563.396, 6_356_256.909)
WGS84 = (6_378_137.000, 6_356_752.3142)

# The National Grid's true origin, scale and false origin.
F0 = 0.9996012717
LAT0, LON0 = radians(49.0), radians(-2.0)
E0, N0 = 400_000.0, -100_000.0

# WGS84 → OSGB36: translations (m), scale (ppm), rotations (arc seconds).
_TO_OSGB36 = (-446.448, 125.157, -542.060, 20.4894, -0.1502, -0.2470, -0.8421)
_TO_WGS84 = tuple(-p for p in _TO_OSGB36)


def _meridional_arc(lat: float, a: float, b: float) -> float:
    n = (a - b) / (a + b)
    d, s = lat - LAT0, lat + LAT0
    return (
        b
        * F0
        * (
            (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
            - (3 * n + 3 * n**2 + 21 / 8 * n**3) * sin(d) * cos(s)
            + (15 / 8 * n**2 + 15 / 8 * n**3) * sin(2 * d) * cos(2 * s)
            - 35 / 24 * n**3 * sin(3 * d) * cos(3 * s)
        )
    )


def _radii(lat: float, a: float, b: float) -> tuple[float, float, float]:
    e2 = 1 - b**2 / a**2
    nu = a * F0 / sqrt(1 - e2 * sin(lat) ** 2)
    rho = a * F0 * (1 - e2) / (1 - e2 * sin(lat) ** 2) ** 1.5
    return nu, rho, nu / rho - 1


def osgb36_to_grid(lat_deg: float, lon_deg: float) -> tuple[float, float]:
    """OSGB36 latitude and longitude (degrees) → easting, northing (metres)."""
    a, b = AIRY
    lat, lon = radians(lat_deg), radians(lon_deg)
    nu, rho, eta2 = _radii(lat, a, b)
    t = tan(lat)
    c = cos(lat)
    i = _meridional_arc(lat, a, b) + N0
    ii = nu / 2 * sin(lat) * c
    iii = nu / 24 * sin(lat) * c**3 * (5 - t**2 + 9 * eta2)
    iiia = nu / 720 * sin(lat) * c**5 * (61 - 58 * t**2 + t**4)
    iv = nu * c
    v = nu / 6 * c**3 * (nu / rho - t**2)
    vi = nu / 120 * c**5 * (5 - 18 * t**2 + t**4 + 14 * eta2 - 58 * t**2 * eta2)
    dl = lon - LON0
    northing = i + ii * dl**2 + iii * dl**4 + iiia * dl**6
    easting = E0 + iv * dl + v * dl**3 + vi * dl**5
    return easting, northing


def grid_to_osgb36(easting: float, northing: float) -> tuple[float, float]:
    """Easting, northing (metres) → OSGB36 latitude and longitude (degrees)."""
    a, b = AIRY
    lat = (northing - N0) / (a * F0) + LAT0
    arc = _meridional_arc(lat, a, b)
    while abs(northing - N0 - arc) >= 0.00001:
        lat += (northing - N0 - arc) / (a * F0)
        arc = _meridional_arc(lat, a, b)
    nu, rho, eta2 = _radii(lat, a, b)
    t, sec = tan(lat), 1 / cos(lat)
    vii = t / (2 * rho * nu)
    viii = t / (24 * rho * nu**3) * (5 + 3 * t**2 + eta2 - 9 * t**2 * eta2)
    ix = t / (720 * rho * nu**5) * (61 + 90 * t**2 + 45 * t**4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t**2)
    xii = sec / (120 * nu**5) * (5 + 28 * t**2 + 24 * t**4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t**2 + 1320 * t**4 + 720 * t**6)
    de = easting - E0
    lat_out = lat - vii * de**2 + viii * de**4 - ix * de**6
    lon_out = LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return deg(lat_out), deg(lon_out)


def _cartesian(lat_deg: float, lon_deg: float, ellipsoid: tuple[float, float]):
    a, b = ellipsoid
    e2 = 1 - b**2 / a**2
    lat, lon = radians(lat_deg), radians(lon_deg)
    nu = a / sqrt(1 - e2 * sin(lat) ** 2)
    return nu * cos(lat) * cos(lon), nu * cos(lat) * sin(lon), (1 - e2) * nu * sin(lat)


def _geodetic(x: float, y: float, z: float, ellipsoid: tuple[float, float]):
    a, b = ellipsoid
    e2 = 1 - b**2 / a**2
    p = sqrt(x**2 + y**2)
    lat = atan2(z, p * (1 - e2))
    for _ in range(10):
        nu = a / sqrt(1 - e2 * sin(lat) ** 2)
        lat = atan2(z + e2 * nu * sin(lat), p)
    return deg(lat), deg(atan2(y, x))


def _helmert(x: float, y: float, z: float, params) -> tuple[float, float, float]:
    tx, ty, tz, s_ppm, rx_s, ry_s, rz_s = params
    s = s_ppm * 1e-6
    rx, ry, rz = (radians(r / 3600) for r in (rx_s, ry_s, rz_s))
    return (
        tx + (1 + s) * x - rz * y + ry * z,
        ty + rz * x + (1 + s) * y - rx * z,
        tz - ry * x + rx * y + (1 + s) * z,
    )


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """Easting, northing → WGS84 (latitude, longitude) in degrees."""
    lat, lon = grid_to_osgb36(easting, northing)
    return _geodetic(*_helmert(*_cartesian(lat, lon, AIRY), _TO_WGS84), WGS84)


def wgs84_to_grid(lat: float, lon: float) -> tuple[float, float]:
    """WGS84 latitude, longitude (degrees) → easting, northing in metres."""
    lat36, lon36 = _geodetic(*_helmert(*_cartesian(lat, lon, WGS84), _TO_OSGB36), AIRY)
    return osgb36_to_grid(lat36, lon36)
