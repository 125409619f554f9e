"""How far apart two colours look, with and without deuteranopia.

Used to choose and check the book's plotting colours (:mod:`backprop.diagrams.style`):
every figure of the book, from chapter 4's activations to chapter 12's training error,
compares its lines in colours that a reader with deuteranopia (the most common colour
blindness) can still tell apart (``tests/diagrams/test_colour_vision.py``).

- :func:`deuteranopia` simulates full deuteranopia with Machado, Oliveira and
  Fernandes' (2009) matrix at severity 1, applied to linear RGB;
- :func:`to_lab` converts sRGB to CIELAB under the D65 white point;
- :func:`ciede2000` is the CIEDE2000 colour difference, as written out by Sharma, Wu and
  Dalal (2005). About 1 is just noticeable; below about 20, two thin lines in a legend
  are hard to match.

Colours are ``#RRGGBB`` strings or RGB(A) tuples in [0, 1], as matplotlib gives them.
Importing this module imports nothing from matplotlib.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["ciede2000", "deuteranopia", "perceived_difference", "to_lab", "to_rgb"]

# Machado, Oliveira and Fernandes (2009), deuteranopia, severity 1.0 (linear RGB).
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
# Linear sRGB to CIE XYZ, and the D65 white (IEC 61966-2-1).
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def to_rgb(colour) -> np.ndarray:
    """``colour`` (``#RRGGBB`` or an RGB(A) tuple in [0, 1]) as three sRGB values in [0, 1]."""
    if isinstance(colour, str):
        digits = colour.lstrip("#")
        if len(digits) != 6:
            raise ValueError(f"expected a colour #RRGGBB, got {colour!r}")
        return np.array([int(digits[k:k + 2], 16) / 255 for k in (0, 2, 4)])
    rgb = np.asarray(colour, dtype=float)[:3]
    if rgb.shape != (3,) or rgb.min() < 0 or rgb.max() > 1:
        raise ValueError(f"expected an RGB(A) colour in [0, 1], got {colour!r}")
    return rgb


def _linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _gamma(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def deuteranopia(colour) -> np.ndarray:
    """sRGB values in [0, 1] of ``colour`` as seen with full deuteranopia."""
    return _gamma(DEUTERANOPIA @ _linear(to_rgb(colour)))


def to_lab(colour) -> np.ndarray:
    """CIELAB ``(L*, a*, b*)`` of an sRGB ``colour``, D65 white."""
    xyz = SRGB_TO_XYZ @ _linear(to_rgb(colour)) / D65_WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 difference of two CIELAB colours (k_L = k_C = k_H = 1).

    Sharma, Wu and Dalal (2005), equations (2) to (22); hue angles in degrees.
    """
    L1, a1, b1 = (float(v) for v in lab1)
    L2, a2, b2 = (float(v) for v in lab2)
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    dl = L2 - L1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    d_hue = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh) / 2)

    l_bar = (L1 + L2) / 2
    cp_bar = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    else:
        hp_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30))
         + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6))
         - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_hue / s_h) ** 2
                     + r_t * (dc / s_c) * (d_hue / s_h))


def perceived_difference(colour1, colour2, deuteranope: bool = True) -> float:
    """CIEDE2000 between two sRGB colours, as a reader with deuteranopia sees them (or not)."""
    if deuteranope:
        colour1, colour2 = deuteranopia(colour1), deuteranopia(colour2)
    return ciede2000(to_lab(colour1), to_lab(colour2))
