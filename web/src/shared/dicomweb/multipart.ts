/**
 * multipart/related bodies of DICOMweb (PS3.18 §8.6.1.2): parsing WADO-RS answers into their
 * parts and building STOW-RS requests. Pure byte handling, used by the page and by tests.
 */

export interface Part {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

/** The boundary parameter of a multipart Content-Type, or null. */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary\s*=\s*("?)([^";]+)\1/i.exec(contentType);
  return match?.[2] ?? null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  outer: for (let i = haystack.indexOf(first as number, from); i >= 0 && i <= haystack.length - needle.length; i = haystack.indexOf(first as number, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Splits a multipart body; parts are views into `body` (no copies). */
export function parseMultipart(body: Uint8Array, boundary: string): Part[] {
  const delimiter = encoder.encode(`--${boundary}`);
  const parts: Part[] = [];
  let at = indexOf(body, delimiter, 0);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing delimiter "--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const headerEnd = indexOf(body, encoder.encode('\r\n\r\n'), start);
    if (headerEnd < 0) break;
    const headers: Record<string, string> = {};
    for (const line of decoder.decode(body.subarray(start, headerEnd)).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = indexOf(body, delimiter, headerEnd + 4);
    if (next < 0) break;
    // The CRLF before the next delimiter belongs to the delimiter.
    const end = next >= 2 && body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    parts.push({ headers, body: body.subarray(headerEnd + 4, end) });
    at = next;
  }
  return parts;
}

/** A STOW-RS body holding DICOM Part 10 files; @return the body and its Content-Type. */
export function stowBody(files: readonly Uint8Array[], boundary = `radlocal-${Math.random().toString(36).slice(2)}`): { body: Uint8Array; contentType: string } {
  const chunks: Uint8Array[] = [];
  for (const file of files) {
    chunks.push(encoder.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), file, encoder.encode('\r\n'));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return { body, contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}
