#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Writes the BPF object of each package given (base64 + zlib in "bpf_object") to OUTDIR as
<package folder or file name>.bpf.o: the seeds of fuzz_object. Prints how many it wrote."""
import base64
import json
import os
import sys
import zlib


def main():
    out, packages = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    for path in packages:
        with open(path) as f:
            obj = zlib.decompress(base64.b64decode(json.load(f)["bpf_object"]))
        name = os.path.basename(path)
        if name == "package.json":
            name = os.path.basename(os.path.dirname(path))
        with open(os.path.join(out, name.replace(".json", "") + ".bpf.o"), "wb") as f:
            f.write(obj)
    print("%d seed objects in %s" % (len(packages), out))


if __name__ == "__main__":
    main()
