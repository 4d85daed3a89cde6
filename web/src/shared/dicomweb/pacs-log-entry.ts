/** One line of RadLocal's DICOMweb proxy log (server side), as the privacy panel shows it: no query values, no body, no credentials. */
export interface PacsLogEntry {
  time: string;
  method: string;
  /** Redacted path (query values removed). */
  path: string;
  status: number;
  /** Bytes sent to the PACS (STOW body) and bytes returned to the page. */
  bytesIn: number;
  bytesOut: number;
  ms: number;
  /** 'forwarded', or the error code the proxy answered with. */
  outcome: 'forwarded' | 'PACS_NOT_CONFIGURED' | 'PACS_UNREACHABLE' | 'PACS_AUTH_FAILED' | 'PACS_REFUSED';
}
