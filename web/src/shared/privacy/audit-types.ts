/** Shapes shared by the privacy audit panel, its verdict and its exported log. */

/** Who observed a request. */
export type RequestSource = 'page' | 'worker' | 'service-worker';

/** One network request the app made, as observed in the browser. Never carries a body. */
export interface NetworkEntry {
  /** Epoch milliseconds. */
  time: number;
  source: RequestSource;
  /** 'GET', 'POST'…; null when the observer cannot know (Resource Timing has no method). */
  method: string | null;
  url: string;
  /** Bytes on the wire (transferSize; 0 when served from a cache), or null when unknown. */
  bytes: number | null;
  /** Resource Timing initiatorType ('script', 'fetch', 'navigation'…) or the service worker's request.destination. */
  kind: string;
  /** Service worker only: where the response came from. */
  servedFrom?: 'cache' | 'network' | 'passthrough';
}

export interface RequestVerdict {
  /** true when every request went to this app's origin, was a GET (or a body-less resource load) and asked for a known app file. */
  ok: boolean;
  checked: number;
  /** One sentence per offending request (empty when ok). */
  problems: string[];
  /** false when the list of app files was unavailable (dev server): paths were then not checked. */
  pathsChecked: boolean;
  /** fetch/XHR requests seen only through Resource Timing, which does not expose the method. */
  methodUnknown: number;
  /** Same-origin DICOMweb requests the server forwarded to the site's PACS (searches, retrievals, stored results). */
  pacsRequests: number;
}

/** What the panel shows about the model in use. Provided by the viewer. */
export interface ModelInfo {
  name: string;
  version: string;
  /** sha256 (hex) of the model card/files as verified against the card before use. */
  sha256: string;
  /** true when every model file matched its hash (else inference is refused). */
  verified: boolean;
}

export interface StorageReport {
  /** navigator.storage.estimate(): bytes used by this origin (Cache Storage included), null if unsupported. */
  usageBytes: number | null;
  localStorageKeys: number;
  sessionStorageKeys: number;
  indexedDbNames: string[];
  cacheNames: string[];
  /** true when nothing but the app's own asset cache is stored. */
  onlyAppAssets: boolean;
}
