"""Regenerates test/dicom-pydicom-references.json: pixel references for the real-file tests,
computed by an independent decoder (Debian python3-pydicom 2.3.1 + numpy, native and RLE
files only — pydicom needs no plugin for those).

For each file: shape, dtype, min, max and SHA-256 of frame 0's stored values as little-endian
bytes (colour sample-interleaved). Run from the repository root:
    PYTHONPATH=test/fixtures/external/pydicom-deb/usr/lib/python3/dist-packages \\
        python3 test/dicom-pydicom-references.py
"""
import glob
import hashlib
import json
import os

import numpy as np
import pydicom

BASE = os.path.join(os.path.dirname(pydicom.__file__), 'data', 'test_files')
NATIVE_OR_RLE = {'1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.5'}

out = {}
paths = sorted(glob.glob(os.path.join(BASE, '*.dcm')) + glob.glob(os.path.join(BASE, 'dicomdirtests', '*', '*', '*')))
for path in paths:
    if os.path.isdir(path):
        continue
    try:
        ds = pydicom.dcmread(path)
        ts = str(ds.file_meta.TransferSyntaxUID)
        if ts not in NATIVE_OR_RLE or 'PixelData' not in ds:
            continue
        if ds.get('PhotometricInterpretation') == 'YBR_FULL_422':
            continue  # pydicom keeps YBR; RadLocal returns RGB (checked separately)
        arr = ds.pixel_array
    except Exception as error:  # broken fixtures are covered by the typed-error tests
        print('skip', os.path.relpath(path, BASE), repr(error)[:80])
        continue
    frames = int(ds.get('NumberOfFrames', 1) or 1)
    frame0 = arr[0] if frames > 1 else arr
    little = frame0.astype(frame0.dtype.newbyteorder('<'))
    out[os.path.relpath(path, BASE)] = {
        'transferSyntaxUID': ts,
        'frames': frames,
        'shape': list(frame0.shape),
        'dtype': str(frame0.dtype.name),
        'min': float(frame0.min()),
        'max': float(frame0.max()),
        'sha256': hashlib.sha256(np.ascontiguousarray(little).tobytes()).hexdigest(),
    }

with open(os.path.join(os.path.dirname(__file__), 'dicom-pydicom-references.json'), 'w') as f:
    f.write('{\n' + ',\n'.join(f' {json.dumps(k)}: {json.dumps(out[k], sort_keys=True)}' for k in sorted(out)) + '\n}\n')
print(len(out), 'references')
