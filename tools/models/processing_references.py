#!/usr/bin/python3
"""Reference arrays for the runtime's image pre-processing presets, computed with Pillow and numpy.

    /usr/bin/python3 tools/models/processing_references.py

Writes tools/models/processing/: a few test images (PNG, drawn here, so no photograph's licence is involved),
and for each preset and image the float32 tensor the model must receive, as <preset>--<image>.f32.gz (raw
little-endian float32, gzipped) with its shape in manifest.json. The runtime's ProcessingPresetsTest decodes the same
PNGs, runs its Java pre-processing and compares: the largest difference must stay within 1/255.

Each preset is computed as its users' Python code does it: torchvision's Resize(256) + CenterCrop(224) on a PIL
image for imagenet (bilinear, antialiased; the crop offset rounded as Python's round()), a plain Pillow resize for
digits-8x8, and PaddleOCR's text-line rule (height 48, width ceil(48 * w / h) up to 320, zero padding after
normalising) with a Pillow resize for text-line-48. Colour is converted before resizing.
"""
import gzip
import json
import math
import os

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "processing")

# the runtime's presets (inference-runtime Processing.PRESETS); the scales are Java's float strings
PRESETS = {
    "imagenet": dict(fit="crop", resize=256, crop=224, color="RGB",
                     mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    "digits-8x8": dict(fit="stretch", width=8, height=8, color="GRAYSCALE", scale="0.003921569", offset="0"),
    "text-line-48": dict(fit="pad", width=320, height=48, color="BGR", scale="0.007843138", offset="-1"),
}
CASES = {
    "imagenet": ["photo-320x240.png", "portrait-256x259.png", "digit-rgb-16x16.png"],
    "digits-8x8": ["digit-gray-8x8.png", "digit-rgb-16x16.png", "photo-320x240.png"],
    "text-line-48": ["line-137x31.png", "wide-line-500x40.png"],
}


def draw_images():
    """Smooth gradients with shapes and text-like strokes, so the references compress and resizing has detail."""
    def scene(w, h, seed):
        rng = np.random.RandomState(seed)
        y, x = np.mgrid[0:h, 0:w]
        base = np.stack([(x * 255 // max(w - 1, 1)), (y * 255 // max(h - 1, 1)),
                         ((x + y) * 255 // max(w + h - 2, 1))], axis=-1).astype(np.uint8)
        img = Image.fromarray(base, "RGB")
        d = ImageDraw.Draw(img)
        for _ in range(6):
            x0, y0 = rng.randint(0, w), rng.randint(0, h)
            r = rng.randint(2, max(3, min(w, h) // 3))
            d.ellipse([x0 - r, y0 - r, x0 + r, y0 + r], fill=tuple(int(v) for v in rng.randint(0, 256, 3)))
        return img

    def line(w, h, seed):
        rng = np.random.RandomState(seed)
        img = Image.new("RGB", (w, h), (235, 230, 220))
        d = ImageDraw.Draw(img)
        x = 3
        while x < w - 6:
            cw = rng.randint(4, 12)
            d.rectangle([x, h // 5, x + cw, h - h // 5], outline=(20, 20, 60), width=2)
            x += cw + rng.randint(2, 6)
        return img

    images = {
        "photo-320x240.png": scene(320, 240, 1),
        "portrait-256x259.png": scene(256, 259, 2),
        "digit-rgb-16x16.png": scene(16, 16, 3),
        "line-137x31.png": line(137, 31, 4),
        "wide-line-500x40.png": line(500, 40, 5),
    }
    digit = Image.open(os.path.join(HERE, "digits", "test-images", "000-9.png"))
    images["digit-gray-8x8.png"] = digit
    for name, img in images.items():
        img.save(os.path.join(OUT, name))


def process(path, p):
    img = Image.open(path)
    img = img.convert("L" if p["color"] == "GRAYSCALE" else "RGB")
    pad_to = None
    if p["fit"] == "crop":
        w, h = img.size
        size = p["resize"]
        if not ((w <= h and w == size) or (h <= w and h == size)):
            if w <= h:
                img = img.resize((size, int(size * h / w)), Image.BILINEAR)
            else:
                img = img.resize((int(size * w / h), size), Image.BILINEAR)
        w, h = img.size
        c = p["crop"]
        top, left = int(round((h - c) / 2.0)), int(round((w - c) / 2.0))
        img = img.crop((left, top, left + c, top + c))
    elif p["fit"] == "stretch":
        if img.size != (p["width"], p["height"]):
            img = img.resize((p["width"], p["height"]), Image.BILINEAR)
    else:
        w, h = img.size
        resized_w = min(p["width"], int(math.ceil(p["height"] * w / float(h))))
        img = img.resize((resized_w, p["height"]), Image.BILINEAR)
        pad_to = p["width"]
    arr = np.asarray(img, dtype=np.float32)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if p["color"] == "BGR":
        arr = arr[:, :, ::-1]
    if "scale" in p:
        arr = arr * np.float32(p["scale"]) + np.float32(p["offset"])
    else:
        arr = (arr / np.float32(255) - np.asarray(p["mean"], dtype=np.float32)) / np.asarray(p["std"], dtype=np.float32)
    if pad_to is not None:
        padded = np.zeros((arr.shape[0], pad_to, arr.shape[2]), dtype=np.float32)
        padded[:, :arr.shape[1], :] = arr
        arr = padded
    return np.ascontiguousarray(arr.transpose(2, 0, 1)[None], dtype=np.float32)  # NCHW


def main():
    os.makedirs(OUT, exist_ok=True)
    draw_images()
    manifest = []
    for preset, images in CASES.items():
        for image in images:
            tensor = process(os.path.join(OUT, image), PRESETS[preset])
            name = f"{preset}--{image[:-4]}.f32.gz"
            with gzip.GzipFile(os.path.join(OUT, name), "wb", mtime=0) as f:
                f.write(tensor.astype("<f4").tobytes())
            manifest.append({"preset": preset, "image": image, "reference": name, "shape": list(tensor.shape)})
            print(preset, image, tensor.shape)
    json.dump(manifest, open(os.path.join(OUT, "manifest.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
