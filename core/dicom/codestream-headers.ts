/**
 * Reads the image size a JPEG (ISO 10918-1 / 14495-1 SOF) or JPEG 2000 (ISO 15444-1 SIZ)
 * codestream declares, so decoders can refuse a stream whose size disagrees with the DICOM
 * attributes before a codec allocates memory for it.
 */

export interface CodestreamHeader {
  rows: number;
  columns: number;
  components: number;
  /** Sample precision in bits. */
  precision: number;
  /** The SOF marker (0xFFC0…0xFFCF, 0xFFF7 for JPEG-LS); 0 for JPEG 2000. */
  marker: number;
  /**
   * Why the codecs must not be given this stream (a main-header value they mishandle, e.g.
   * subsampled components or a degenerate tiling — OpenJPH loops forever on YRsiz = 129);
   * undefined when the header is sane.
   */
  unsupported?: string;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]);

/** Scans JPEG markers from SOI to the first SOF; undefined when there is none. */
export function readJpegHeader(data: Uint8Array): CodestreamHeader | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) return undefined;
    const marker = data[pos + 1] as number;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    const length = ((data[pos + 2] as number) << 8) | (data[pos + 3] as number);
    if (SOF_MARKERS.has(marker)) {
      if (pos + 10 > data.length) return undefined;
      return {
        precision: data[pos + 4] as number,
        rows: ((data[pos + 5] as number) << 8) | (data[pos + 6] as number),
        columns: ((data[pos + 7] as number) << 8) | (data[pos + 8] as number),
        components: data[pos + 9] as number,
        marker: 0xff00 | marker,
      };
    }
    if (length < 2) return undefined;
    pos += 2 + length;
  }
  return undefined;
}

/** Finds the SIZ segment of a J2K codestream, also inside a JP2 box file (jp2c box). */
export function readJ2kHeader(data: Uint8Array): CodestreamHeader | undefined {
  const start = j2kCodestreamStart(data);
  if (start < 0 || start + 42 > data.length) return undefined;
  const view = new DataView(data.buffer, data.byteOffset + start, data.length - start);
  // SOC(2), then SIZ: marker(2) Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4) XTsiz YTsiz XTOsiz YTOsiz (16) Csiz(2), then per component Ssiz XRsiz YRsiz
  const lsiz = view.getUint16(4);
  const xsiz = view.getUint32(8);
  const ysiz = view.getUint32(12);
  const xo = view.getUint32(16);
  const yo = view.getUint32(20);
  const xt = view.getUint32(24);
  const yt = view.getUint32(28);
  const xto = view.getUint32(32);
  const yto = view.getUint32(36);
  const components = view.getUint16(40);
  const header: CodestreamHeader = { columns: xsiz - xo, rows: ysiz - yo, components, precision: ((data[start + 42] ?? 0) & 0x7f) + 1, marker: 0 };
  if (lsiz !== 38 + 3 * components || start + 4 + lsiz > data.length) return { ...header, unsupported: `the SIZ segment length ${lsiz} does not fit ${components} component(s)` };
  for (let c = 0; c < components; c++) {
    const at = start + 42 + 3 * c;
    if (data[at + 1] !== 1 || data[at + 2] !== 1) return { ...header, unsupported: 'subsampled components are not supported' };
    if (((data[at] as number) & 0x7f) !== ((data[start + 42] as number) & 0x7f)) return { ...header, unsupported: 'components of different precision are not supported' };
  }
  if (xo >= xsiz || yo >= ysiz || xt === 0 || yt === 0 || xto > xo || yto > yo || xto + xt <= xo || yto + yt <= yo) {
    return { ...header, unsupported: 'the image and tile grid are inconsistent' };
  }
  const tiles = Math.ceil((xsiz - xto) / xt) * Math.ceil((ysiz - yto) / yt);
  if (tiles > 4096) return { ...header, unsupported: `${tiles} tiles is more than 4096` };
  const cod = findJ2kMarker(data, start + 4 + lsiz, 0x52);
  if (cod !== undefined && cod + 14 <= data.length) {
    // COD: marker(2) Lcod(2) Scod(1) progression(1) layers(2) MCT(1) levels(1) xcb(1) ycb(1) …
    const layers = ((data[cod + 6] as number) << 8) | (data[cod + 7] as number);
    const levels = data[cod + 9] as number;
    const xcb = data[cod + 10] as number;
    const ycb = data[cod + 11] as number;
    if (layers < 1 || levels > 32 || xcb > 8 || ycb > 8 || xcb + ycb > 8) return { ...header, unsupported: 'the coding style (COD) values are out of range' };
  }
  return header;
}

/** Position of main-header marker 0xFF<code> (before the first tile part), or undefined. */
export function findJ2kMarker(data: Uint8Array, from: number, code: number): number | undefined {
  let pos = from;
  for (let guard = 0; guard < 256 && pos + 4 <= data.length; guard++) {
    if (data[pos] !== 0xff) return undefined;
    const marker = data[pos + 1] as number;
    if (marker === code) return pos;
    if (marker === 0x90) return undefined; // SOT: main header over
    pos += 2 + (((data[pos + 2] as number) << 8) | (data[pos + 3] as number));
  }
  return undefined;
}

/** Start of the J2K codestream (SOC followed by SIZ) within the first 4 kB, also inside a JP2 file; −1 when none. */
export function j2kCodestreamStart(data: Uint8Array): number {
  const limit = Math.min(data.length - 3, 4096);
  for (let i = 0; i < limit; i++) {
    if (data[i] === 0xff && data[i + 1] === 0x4f && data[i + 2] === 0xff && data[i + 3] === 0x51) return i;
  }
  return -1;
}
