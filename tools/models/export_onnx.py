#!/usr/bin/python3
"""Exports the committed digits CNN (and, for benchmarks, a resnet18) to ONNX with Debian's torch, offline.

    /usr/bin/python3 tools/models/export_onnx.py                # tools/models/digits/digits.onnx (committed)
    /usr/bin/python3 tools/models/export_onnx.py resnet18 DIR   # DIR/resnet18.onnx from DIR/resnet18.pt (benchmarks)

The digits export starts from the committed TorchScript file, so both formats carry the same weights. The input is
named input0 with shape [batch, 1, 8, 8] and the output output0 with [batch, 10]; the batch dimension is dynamic.
It also checks that the TorchScript file still gives the logits of expected.json. ONNX Runtime is not among
Debian's packages; the runtime's Java tests run the ONNX file in it and compare with expected.json (to 1e-5).
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def export(scripted, example, path):
    torch.onnx.export(scripted, example, path, input_names=["input0"], output_names=["output0"],
                      dynamic_axes={"input0": {0: "batch"}, "output0": {0: "batch"}}, opset_version=13)
    print("wrote", path, os.path.getsize(path), "bytes")


def digits():
    folder = os.path.join(HERE, "digits")
    scripted = torch.jit.load(os.path.join(folder, "digits.pt")).eval()
    export(scripted, torch.zeros(1, 1, 8, 8), os.path.join(folder, "digits.onnx"))
    expected = json.load(open(os.path.join(folder, "expected.json")))
    worst = 0.0
    for image in expected["images"]:
        pixels = np.asarray(Image.open(os.path.join(folder, "test-images", image["file"])), dtype=np.float32) / 255.0
        logits = scripted(torch.from_numpy(pixels).reshape(1, 1, 8, 8)).detach().numpy()[0]
        worst = max(worst, float(np.max(np.abs(logits - np.asarray(image["logits"], dtype=np.float32)))))
    print("TorchScript reproduces expected.json to", worst)


def resnet18(folder):
    scripted = torch.jit.load(os.path.join(folder, "resnet18.pt")).eval()
    export(scripted, torch.rand(1, 3, 224, 224), os.path.join(folder, "resnet18.onnx"))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "resnet18":
        resnet18(sys.argv[2])
    else:
        digits()
