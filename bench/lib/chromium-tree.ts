/**
 * What a benchmark needs to measure the viewer in Chromium: a `vite preview` of a build on its
 * own port, and the resident memory of the Chromium process tree it launched — found by PID
 * (the browser process and its children, from /proc), never by process name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Starts `vite preview` of `buildDir` on 127.0.0.1:`port` (detached: stop it with process.kill(-pid)). */
export async function startPreview(root: string, buildDir: string, port: number): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: root,
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, RADLOCAL_BUILD_DIR: buildDir, RADLOCAL_PORT: String(port) },
  });
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${base}`);
}

/** `root` and every process below it (by parent PID, from /proc). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Direct children of `parent` not in `known` (by PID, from /proc). */
export function newChildren(parent: number, known: readonly number[]): number[] {
  const tree = processTree(parent);
  const out: number[] = [];
  for (const pid of tree) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent && !known.includes(pid)) out.push(pid);
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Summed resident (RSS) and proportional (PSS) memory of a process tree, bytes. */
export function treeMemory(root: number): { rss: number; pss: number; processes: number } {
  let rss = 0;
  let pss = 0;
  let processes = 0;
  for (const pid of processTree(root)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      processes++;
    } catch {
      /* exited meanwhile */
    }
  }
  return { rss, pss, processes };
}

/** Samples a process tree's memory every 250 ms and keeps the peaks. */
export class MemorySampler {
  peakRss = 0;
  peakPss = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  constructor(private readonly pid: number) {}
  sample(): { rss: number; pss: number; processes: number } {
    const m = treeMemory(this.pid);
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakPss = Math.max(this.peakPss, m.pss);
    return m;
  }
  start(): void {
    this.peakRss = 0;
    this.peakPss = 0;
    this.#timer = setInterval(() => this.sample(), 250);
  }
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
