#!/usr/bin/python3
"""Exports a torchvision resnet18 as TorchScript for benchmarks (random weights: none can be downloaded here).

    /usr/bin/python3 tools/models/export_resnet18.py OUTPUT_DIR

Writes resnet18.pt (about 45 MB; not committed), synset.txt with 1000 labels and resnet18.properties with the
ImageNet pre-processing (resize 256, centre crop 224, ImageNet mean and std).
"""
import os
import sys

import torch
import torchvision


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(18)
    model = torchvision.models.resnet18(weights=None).eval()
    traced = torch.jit.trace(model, torch.rand(1, 3, 224, 224))
    traced.save(os.path.join(out, "resnet18.pt"))
    with open(os.path.join(out, "synset.txt"), "w") as f:
        f.write("\n".join(f"class-{i:03d}" for i in range(1000)) + "\n")
    with open(os.path.join(out, "resnet18.properties"), "w") as f:
        f.write("image.resize=256\nimage.crop=224\nimage.grayscale=false\n"
                "image.mean=0.485,0.456,0.406\nimage.std=0.229,0.224,0.225\n"
                "input.name=input0\ninput.shape=-1,3,224,224\ninput.datatype=FP32\n"
                "output.name=output0\noutput.softmax=true\noutput.topk=5\n")
    print("wrote", os.path.join(out, "resnet18.pt"))


if __name__ == "__main__":
    main()
