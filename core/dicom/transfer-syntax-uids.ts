/**
 * Transfer syntax UIDs (PS3.6 Annex A) the decoder knows by name. The decoder table in
 * ./transfer-syntax-table.ts is keyed by these constants and nothing else switches on UIDs.
 */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.98';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const JPEG_BASELINE_8BIT = '1.2.840.10008.1.2.4.50';
export const JPEG_EXTENDED_12BIT = '1.2.840.10008.1.2.4.51';
/** Retired (PS3.5 2006): spectral selection, non-hierarchical (processes 6 & 8). */
export const JPEG_SPECTRAL_SELECTION = '1.2.840.10008.1.2.4.53';
/** Retired (PS3.5 2006): full progression, non-hierarchical (processes 10 & 12). */
export const JPEG_FULL_PROGRESSION = '1.2.840.10008.1.2.4.55';
export const JPEG_LOSSLESS_PROCESS_14 = '1.2.840.10008.1.2.4.57';
export const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';
export const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';
export const JPEG_LS_NEAR_LOSSLESS = '1.2.840.10008.1.2.4.81';
export const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90';
export const JPEG_2000 = '1.2.840.10008.1.2.4.91';
export const HTJ2K_LOSSLESS = '1.2.840.10008.1.2.4.201';
export const HTJ2K_LOSSLESS_RPCL = '1.2.840.10008.1.2.4.202';
export const HTJ2K = '1.2.840.10008.1.2.4.203';
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
