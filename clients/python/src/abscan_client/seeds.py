"""Reads a local ImageFolder (`<label>/<file>`) into a SeedSet of encoded images."""
from __future__ import annotations

import pathlib

from abscan_client._gen.abscan.common.v1 import common_pb2

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".ppm", ".pgm"}


def load_seed_folder(folder) -> common_pb2.SeedSet:
    """Every image under a numeric label folder, sorted by label then name so all clients send the same order."""
    root = pathlib.Path(folder)
    if not root.is_dir():
        raise ValueError(f"seed folder {root} is not a directory")
    labels = sorted((d for d in root.iterdir() if d.is_dir() and d.name.isdigit()), key=lambda d: int(d.name))
    seeds = common_pb2.SeedSet()
    for label_dir in labels:
        for f in sorted(label_dir.iterdir(), key=lambda p: p.name):
            if f.is_file() and f.suffix.lower() in _IMAGE_SUFFIXES:
                seeds.images.add(data=f.read_bytes(), label=int(label_dir.name), name=f"{label_dir.name}/{f.name}")
    if not seeds.images:
        raise ValueError(f"seed folder {root} holds no <label>/<image> files")
    return seeds
