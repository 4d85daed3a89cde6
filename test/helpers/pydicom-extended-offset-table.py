"""Re-encapsulates a multi-frame DICOM file with pydicom (the test fixture's own copy, on
PYTHONPATH): every frame in two fragments, an empty Basic Offset Table, and an Extended Offset
Table (7FE0,0001, VR OV) with its lengths (7FE0,0002). Used by test/dicom-extended-offset-table.test.ts.

usage: pydicom-extended-offset-table.py SOURCE OUTPUT MODE
  MODE 'native':      native pixel data → Encapsulated Uncompressed (1.2.840.10008.1.2.1.98)
  MODE 'compressed':  the frames of an encapsulated file, re-encapsulated
  add '-no-eot' to MODE to leave the Extended Offset Table out (the control case)."""
import struct
import sys
from pydicom import dcmread
from pydicom.encaps import encapsulate, generate_pixel_data_frame
from pydicom.uid import UID

src, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
with_eot = not mode.endswith('-no-eot')
mode = mode.replace('-no-eot', '')
ds = dcmread(src)
n = int(ds.get('NumberOfFrames', 1))
if mode == 'native':
    data = ds.PixelData
    size = len(data) // n
    frames = [data[i * size:(i + 1) * size] for i in range(n)]
    ds.file_meta.TransferSyntaxUID = UID('1.2.840.10008.1.2.1.98')
else:
    frames = list(generate_pixel_data_frame(ds.PixelData, n))
per = 2
data = encapsulate(frames, fragments_per_frame=per, has_bot=False)
items, pos = [], 0
while pos + 8 <= len(data):
    _tag, length = struct.unpack('<II', data[pos:pos + 8])
    items.append(pos)
    pos += 8 + length
first = items[1]
offsets = [items[1 + k * per] - first for k in range(n)]
ds.PixelData = data
ds['PixelData'].VR = 'OB'
ds['PixelData'].is_undefined_length = True
if with_eot:
    ds.ExtendedOffsetTable = struct.pack(f'<{n}Q', *offsets)
    ds.ExtendedOffsetTableLengths = struct.pack(f'<{n}Q', *[len(f) for f in frames])
ds.is_little_endian = True
ds.is_implicit_VR = False
ds.save_as(out, write_like_original=False)
print(n, 'frames', len(items) - 1, 'fragments', 'offsets' if with_eot else 'no EOT', offsets)
