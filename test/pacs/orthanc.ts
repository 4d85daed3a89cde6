/**
 * A real PACS for tests and benchmarks: Debian's Orthanc with its DICOMweb plugin, started on
 * a loopback port (8201–8299) with a temporary configuration — authentication on with one
 * user, the DICOM port off, remote access off, storage and index in a temporary folder — and
 * stopped by its PID. Files are uploaded through Orthanc's REST API (POST /instances).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ORTHANC_BIN = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface OrthancServer {
  port: number;
  pid: number;
  /** The DICOMweb root, e.g. http://127.0.0.1:8201/dicom-web */
  dicomWebUrl: string;
  restUrl: string;
  user: string;
  password: string;
  /** Authorization header value for direct REST calls. */
  authorization: string;
  /** Uploads one DICOM file; @return Orthanc's answer ({ID, ParentStudy, …}). */
  upload(bytes: Uint8Array): Promise<{ ID: string; ParentStudy: string; Status: string }>;
  /** SIGTERM by PID, SIGKILL after 10 s; removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

export function orthancAvailable(): boolean {
  return existsSync(ORTHANC_BIN) && existsSync(DICOMWEB_PLUGIN);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

async function waitForSystem(restUrl: string, authorization: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited with ${child.exitCode}: ${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : ''}`);
    try {
      const r = await fetch(`${restUrl}/system`, { headers: { authorization } });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Expected Orthanc to answer ${restUrl}/system within 30 s, but it did not`);
}

/** @param firstPort where to start looking for a free port (8201–8299) */
export async function startOrthanc(firstPort = 8201 + Math.floor(Math.random() * 80)): Promise<OrthancServer> {
  const user = 'radlocal';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  for (let attempt = 0; attempt < 99; attempt++) {
    const port = 8201 + ((firstPort - 8201 + attempt) % 99);
    if (!(await portFree(port))) continue;
    const dir = mkdtempSync(join(tmpdir(), 'radlocal-orthanc-'));
    const config = {
      Name: 'RadLocalTestPACS',
      HttpPort: port,
      DicomServerEnabled: false,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: true,
      RegisteredUsers: { [user]: password },
      StorageDirectory: join(dir, 'storage'),
      IndexDirectory: join(dir, 'index'),
      Plugins: [DICOMWEB_PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
      HttpCompressionEnabled: false,
    };
    writeFileSync(join(dir, 'orthanc.json'), JSON.stringify(config, null, 2));
    const logFile = join(dir, 'orthanc.log');
    const child = spawn(ORTHANC_BIN, [`--logfile=${logFile}`, join(dir, 'orthanc.json')], { stdio: 'ignore' });
    const pid = child.pid;
    if (pid === undefined) throw new Error('Orthanc did not start (no PID)');
    const restUrl = `http://127.0.0.1:${port}`;
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(kill);
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        const kill = setTimeout(() => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 10_000);
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          done();
        }
      });
      return stopped;
    };
    try {
      await waitForSystem(restUrl, authorization, child, logFile);
    } catch (error) {
      await stop();
      if (attempt < 5) continue; // port taken meanwhile: try the next one
      throw error;
    }
    return {
      port,
      pid,
      dicomWebUrl: `${restUrl}/dicom-web`,
      restUrl,
      user,
      password,
      authorization,
      async upload(bytes) {
        const r = await fetch(`${restUrl}/instances`, { method: 'POST', headers: { authorization, 'content-type': 'application/dicom' }, body: bytes as Uint8Array<ArrayBuffer> });
        if (!r.ok) throw new Error(`Expected Orthanc to store the file, but it answered ${r.status}: ${await r.text()}`);
        return (await r.json()) as { ID: string; ParentStudy: string; Status: string };
      },
      stop,
    };
  }
  throw new Error('Expected a free port in 8201–8299 for Orthanc, but found none');
}
