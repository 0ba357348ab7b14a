#!/usr/bin/python3
"""Trains ModelWard's test and demo model: a small CNN on scikit-learn's bundled 8x8 handwritten digits.

Run it with Debian's Python, which has the packages python3-torch, python3-sklearn and python3-pil:

    /usr/bin/python3 tools/models/train_digits.py [OUTPUT_DIR]     (default: tools/models/digits)

Everything is offline and seeded, so a run reproduces the committed files. It writes:
  digits.pt            the TorchScript model: input FP32 [N, 1, 8, 8] (pixels / 255), output FP32 [N, 10] logits
  synset.txt           the class labels, one per line
  digits.properties    the pre- and post-processing the runtime applies to images
  test-images/*.png    held-out test images (8x8 grayscale), named <index>-<true label>.png
  expected.json        for each test image: true label and the logits PyTorch computes from the PNG, so tests can
                       check that the Java runtime reproduces PyTorch exactly
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

SEED = 20261125
TEST_IMAGES = 40


class DigitsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def as_png_pixels(images):
    """The data set's 0..16 intensities as the 0..255 bytes of an 8-bit PNG."""
    return np.round(images * 255.0 / 16.0).astype(np.uint8)


def as_input(pixels):
    """What the runtime feeds the model: PNG bytes / 255, shape [N, 1, 8, 8]."""
    return torch.from_numpy(pixels.astype(np.float32) / 255.0).unsqueeze(1)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits")
    os.makedirs(os.path.join(out, "test-images"), exist_ok=True)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(1)

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.images, digits.target, test_size=0.25, random_state=SEED, stratify=digits.target)
    train_x, train_y = as_input(as_png_pixels(x_train)), torch.from_numpy(y_train).long()
    test_pixels = as_png_pixels(x_test)
    test_x, test_y = as_input(test_pixels), torch.from_numpy(y_test).long()

    model = DigitsNet()
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(40):
        model.train()
        order = torch.randperm(len(train_x))
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            optimiser.zero_grad()
            loss = loss_fn(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimiser.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(f"test accuracy on {len(test_x)} held-out images: {accuracy:.4f}")

    scripted = torch.jit.script(model)
    model_file = os.path.join(out, "digits.pt")
    scripted.save(model_file)
    with open(os.path.join(out, "synset.txt"), "w") as f:
        f.write("\n".join(str(i) for i in range(10)) + "\n")
    with open(os.path.join(out, "digits.properties"), "w") as f:
        f.write("# Pre- and post-processing of the digits model for ModelWard's runtime\n"
                "image.resize=8\nimage.crop=8\nimage.grayscale=true\nimage.mean=0\nimage.std=1\n"
                "input.name=input0\ninput.shape=-1,1,8,8\ninput.datatype=FP32\n"
                "output.name=output0\noutput.softmax=true\noutput.topk=5\n")

    # Reference answers: the saved TorchScript file, fed the PNG pixels one image at a time, as the runtime is.
    reloaded = torch.jit.load(model_file)
    expected = []
    for i in range(TEST_IMAGES):
        name = f"{i:03d}-{int(y_test[i])}.png"
        Image.fromarray(test_pixels[i], mode="L").save(os.path.join(out, "test-images", name))
        with torch.no_grad():
            logits = reloaded(as_input(test_pixels[i:i + 1]))[0]
        expected.append({"file": name, "label": int(y_test[i]), "predicted": int(logits.argmax()),
                         "logits": [float(v) for v in logits]})
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"model": "digits.pt", "accuracy": round(accuracy, 4), "torch": torch.__version__,
                   "images": expected}, f, indent=1)
    print(f"wrote {model_file} ({os.path.getsize(model_file)} bytes) and {TEST_IMAGES} test images to {out}")


if __name__ == "__main__":
    main()
