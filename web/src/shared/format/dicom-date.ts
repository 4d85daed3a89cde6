/** A DICOM DA value (YYYYMMDD) as YYYY-MM-DD; anything else is shown as it is. */
export function formatDicomDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da;
}
