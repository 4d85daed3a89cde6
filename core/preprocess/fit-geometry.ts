/**
 * Where the source image lands in the model input: letterbox (whole image, padded) or
 * centre crop (input filled, edges cut). Coordinates are pixel-edge coordinates:
 *   input x = source x × scaleX + offsetX,  source x = (input x − offsetX) / scaleX
 * (same for y), so a heatmap over the input maps back onto the original image.
 */
export interface FitGeometry {
  fit: 'letterbox' | 'center-crop';
  sourceRows: number;
  sourceColumns: number;
  /** Model input size. */
  height: number;
  width: number;
  /** Size of the resized source inside (or around, for a crop) the input, in input pixels. */
  contentHeight: number;
  contentWidth: number;
  /** contentWidth / sourceColumns and contentHeight / sourceRows. */
  scaleX: number;
  scaleY: number;
  /** Input-pixel position of the source's top-left corner (negative for a crop). */
  offsetX: number;
  offsetY: number;
}

export function fitGeometry(sourceRows: number, sourceColumns: number, height: number, width: number, fit: 'letterbox' | 'center-crop'): FitGeometry {
  const s = fit === 'letterbox' ? Math.min(height / sourceRows, width / sourceColumns) : Math.max(height / sourceRows, width / sourceColumns);
  let contentHeight = Math.max(1, Math.round(sourceRows * s));
  let contentWidth = Math.max(1, Math.round(sourceColumns * s));
  if (fit === 'letterbox') {
    contentHeight = Math.min(contentHeight, height);
    contentWidth = Math.min(contentWidth, width);
  } else {
    contentHeight = Math.max(contentHeight, height);
    contentWidth = Math.max(contentWidth, width);
  }
  return {
    fit,
    sourceRows,
    sourceColumns,
    height,
    width,
    contentHeight,
    contentWidth,
    scaleX: contentWidth / sourceColumns,
    scaleY: contentHeight / sourceRows,
    offsetX: Math.floor((width - contentWidth) / 2),
    offsetY: Math.floor((height - contentHeight) / 2),
  };
}
