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
  constructor(readonly pid: number) {}
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

/** CPU time (ms) of every thread of a process tree, keyed by "process type/thread name#tid". */
export function threadCpu(root: number): Map<string, number> {
  const tickMs = 10; // USER_HZ is 100 on Linux
  const out = new Map<string, number>();
  for (const pid of processTree(root)) {
    try {
      const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '))?.[1] ?? (pid === root ? 'browser' : 'other');
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${type}/${name}#${tid}`, (Number(fields[11]) + Number(fields[12])) * tickMs);
      }
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/**
 * Where the CPU went between two `threadCpu` readings, ms, largest first: per process type and
 * thread name, with threads of one name told apart by start order ("renderer/DedicatedWorker 1"
 * started before "… 2": thread ids grow) when more than one of them did real work (≥ 5 % of the
 * total); and the total.
 */
export function cpuBetween(before: Map<string, number>, after: Map<string, number>): { totalMs: number; byThread: Record<string, number> } {
  const byName = new Map<string, Array<{ tid: number; ms: number }>>();
  let totalMs = 0;
  for (const [key, ms] of after) {
    const spent = ms - (before.get(key) ?? 0);
    if (spent <= 0) continue;
    const at = key.lastIndexOf('#');
    const name = key.slice(0, at);
    byName.set(name, [...(byName.get(name) ?? []), { tid: Number(key.slice(at + 1)), ms: spent }]);
    totalMs += spent;
  }
  const rows: Array<[string, number]> = [];
  for (const [name, threads] of byName) {
    const all = threads.reduce((a, t) => a + t.ms, 0);
    const busy = threads.filter((t) => t.ms >= 0.05 * totalMs).sort((a, b) => a.tid - b.tid);
    if (busy.length < 2) {
      rows.push([name, all]);
      continue;
    }
    busy.forEach((t, i) => rows.push([`${name} ${i + 1}`, t.ms]));
    const rest = all - busy.reduce((a, t) => a + t.ms, 0);
    if (rest > 0) rows.push([`${name} (others)`, rest]);
  }
  return { totalMs, byThread: Object.fromEntries(rows.sort((a, b) => b[1] - a[1])) };
}
