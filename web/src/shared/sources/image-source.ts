/**
 * Where the bytes of one opened image come from. The viewer keeps only this handle (plus
 * the header, a thumbnail and the prediction) for every image; pixels are decoded from it on
 * demand, and decoded again after the decoded-pixel cache let them go. So `read` may be
 * called several times for one image, and must return the same bytes each time.
 *
 * A local file is `fileSource(file)`. Any other origin plugs in by implementing this
 * interface — e.g. a PACS instance retrieved over WADO-RS:
 *
 *   const source: ImageSource = {
 *     name: 'CR · 1.2.3.4.5',                       // what the study list shows
 *     size: undefined,                               // unknown before the retrieve
 *     read: () => fetch(`/dicom-web/studies/${study}/series/${series}/instances/${sop}`, {
 *       headers: { accept: 'application/dicom; transfer-syntax=*' },
 *     }).then((r) => r.arrayBuffer()),               // the DICOM Part 10 file
 *   };
 *
 * and is opened like files: `openSources([source, …])` (app/ composes the features).
 * `readHead` is optional: when present, grouping reads only the first bytes of each image
 * (its DICOM header) instead of the whole object.
 */
export interface ImageSource {
  /** Shown in the study list when the image has no DICOM description; never sent anywhere. */
  readonly name: string;
  /**
   * Identifies the object across openings (e.g. a PACS instance's SOP Instance UID): a source
   * whose key is already open is not opened again. Without a key every opening is a new image.
   */
  readonly key?: string;
  /** Size of the whole object in bytes, when known. */
  readonly size: number | undefined;
  /** The whole object: a DICOM Part 10 file, a PNG or a JPEG. */
  read(): Promise<ArrayBuffer>;
  /** The first `bytes` bytes (or all of them when the object is shorter). */
  readHead?(bytes: number): Promise<ArrayBuffer>;
}

/** The first `bytes` bytes of `blob` (fewer when it is shorter), read as a stream (see fileSource). */
async function readStreamHead(blob: Blob, bytes: number): Promise<ArrayBuffer> {
  const reader = blob.stream().getReader();
  const head = new Uint8Array(bytes);
  let filled = 0;
  try {
    while (filled < bytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, bytes - filled);
      head.set(value.subarray(0, take), filled);
      filled += take;
    }
  } finally {
    void reader.cancel();
  }
  return head.buffer.slice(0, filled);
}

/**
 * A file the user picked or dropped: read from disk each time, nothing copied meanwhile.
 * A picked file's `size`, `slice` (and posting it to a worker) each cost the page a synchronous
 * metadata lookup — 10,000 files froze it for seconds — while reading it does not: the size is
 * looked up only when asked, and the head is read as a stream.
 */
export function fileSource(file: File): ImageSource {
  return {
    name: file.webkitRelativePath || file.name,
    get size() {
      return file.size;
    },
    read: () => file.arrayBuffer(),
    readHead: (bytes) => readStreamHead(file, bytes),
  };
}
