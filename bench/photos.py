"""The time to process a 12-megapixel photo: the checks, the upright copy without metadata, three widths in WebP
and JPEG (visa.photos.images.process), as an upload runs it.

    python -m bench.photos [--runs 5]

The photo is made here: 4000 × 3000 pixels of shapes, gradients and noise (a camera's grain, so the encoders
have detail to work on), saved as a JPEG of quality 90 with an EXIF orientation tag (a quarter turn) and a GPS
position. :func:`main` prints a Markdown table and returns its rows (figure, value, target) for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import numpy as np
from PIL import ExifTags, Image

from bench.servers import print_rows
from visa.photos.images import process

WIDTH, HEIGHT = 4000, 3000


def twelve_megapixels(seed: int = 7) -> bytes:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    base = np.stack([x * 200 // WIDTH + 30, y * 160 // HEIGHT + 50, (x + y) * 120 // (WIDTH + HEIGHT) + 90], -1)
    for _ in range(40):  # rooms, tables and people: blocks of colour with edges
        x0, y0 = rng.integers(0, WIDTH - 400), rng.integers(0, HEIGHT - 400)
        w, h = rng.integers(80, 900), rng.integers(80, 900)
        base[y0:y0 + h, x0:x0 + w] = rng.integers(0, 255, 3)
    grain = rng.normal(0, 6, (HEIGHT, WIDTH, 3))
    pixels = np.clip(base + grain, 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (38.0, 42.0, 0.0)}
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def measure(runs: int = 5) -> list[tuple[str, str, str]]:
    data = twelve_megapixels()
    process(data)  # warm-up: codecs loaded
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        processed = process(data)
        times.append(time.perf_counter() - started)
    sizes = ", ".join(f"{r.width} px {r.extension} {len(r.data) / 1000:.0f} KB" for r in processed.renditions)
    return [
        (f"Process a 12-megapixel JPEG ({len(data) / 1e6:.1f} MB, turned, with GPS): checks, upright copy without "
         "metadata, 3 widths in WebP and JPEG", f"median {statistics.median(times):.2f} s, "
         f"max {max(times):.2f} s of {runs}", "≤ 2 s (within the upload's request)"),
        ("Files published for it", sizes, "reference"),
    ]


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs")
    rows = measure(parser.parse_args(argv).runs)
    return print_rows(rows)


if __name__ == "__main__":
    main()
