/**
 * `npm run bench -- import-model [--size 224] [--runs 10] [--no-browser] [--port 4207]`
 *
 * A DenseNet-121-sized graph model (test/graph-model-builder.ts: [N, 1, 224, 224] NCHW like
 * TorchXRayVision's, ≈ 7.0 M parameters, 18 sigmoid outputs, batch norms as Mul/AddV2, ≈ 2.9
 * GFLOPs), generated once into a cache folder, then:
 * - Node (tfjs WASM backend with RadLocal's kernels, as `radlocal predict`): load (read +
 *   SHA-256 + build), import inspection (probe + head check), warm inference median;
 * - Chromium (headless, the viewer's WASM setup: SIMD, one thread, bench/import-model/page.ts
 *   built with Vite): load (fetch + SHA-256 + build), first and warm inference median.
 * Each side also reports the CPU time per warm inference (its own process; the browser's
 * process tree by PID): on a loaded machine that, not the wall time, says what one idle core does.
 * Warm inference = one image through the graph inference path, logits + feature maps +
 * embedding in one forward pass. Target (issue 16): ≤ 300 ms warm in Chromium on WASM.
 * The machine is shared: the load average is printed with the figures.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { parseGraphModelJson } from '../core/model/graph-def.ts';
import { inspectGraphModel } from '../core/model/graph-inspect.ts';
import { graphInferenceGraph, loadGraphModelFromMemory } from '../core/model/graph-model.ts';
import type { GraphModelSpec } from '../core/model/graph-spec.ts';
import { EMBEDDING_OUTPUT, FEATURES_OUTPUT, LOGITS_OUTPUT } from '../core/model/inference-graph.ts';
import { sha256Hex } from '../core/model/sha256.ts';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { denseNet121Graph } from '../test/graph-model-builder.ts';
import { selectBackend } from '../training/src/backend/select-backend.ts';

const ROOT = resolve(import.meta.dirname, '..');

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const round = (v: number): number => Math.round(v * 10) / 10;

/** The generated model's folder (model.json + shard), written once per size. */
function modelFolder(size: number): { dir: string; parameters: number } {
  const dir = join(tmpdir(), 'radlocal-bench-cache', `densenet121-graph-${size}`);
  const meta = join(dir, 'parameters.txt');
  if (!existsSync(meta)) {
    mkdirSync(dir, { recursive: true });
    const m = denseNet121Graph({ size });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(m.json));
    writeFileSync(join(dir, 'group1-shard1of1.bin'), m.shard);
    writeFileSync(meta, String(m.parameters));
  }
  return { dir, parameters: Number(readFileSync(meta, 'utf8')) };
}

async function readVerified(dir: string): Promise<{ files: Map<string, Uint8Array>; sha256: Record<string, string> }> {
  const files = new Map<string, Uint8Array>();
  const sha256: Record<string, string> = {};
  for (const path of ['model.json', 'group1-shard1of1.bin']) {
    const bytes = new Uint8Array(readFileSync(join(dir, path)));
    files.set(path, bytes);
    sha256[path] = await sha256Hex(bytes);
  }
  return { files, sha256 };
}

async function nodeFigures(dir: string, size: number, runs: number): Promise<{ figures: Record<string, unknown>; spec: GraphModelSpec; sha256: Record<string, string> }> {
  const selection = await selectBackend('wasm');
  const t0 = performance.now();
  const { files, sha256 } = await readVerified(dir);
  const json = parseGraphModelJson(files.get('model.json') as Uint8Array, 'model.json');
  const model = await loadGraphModelFromMemory(json, files, '', 'model.json');
  const t1 = performance.now();
  const inspection = await inspectGraphModel(json, model);
  const t2 = performance.now();
  const spec: GraphModelSpec = { ...inspection.spec, outputColumns: Array.from({ length: inspection.spec.outputCount }, (_, i) => i) };
  const graph = graphInferenceGraph(model, spec, { layout: 'nchw', channels: 1 }, size, size);
  const input = new Float32Array(size * size).map((_, i) => Math.sin(i) * 512);
  const names = [LOGITS_OUTPUT, FEATURES_OUTPUT, EMBEDDING_OUTPUT];
  const f0 = performance.now();
  await graph.run(input, 1, names);
  const first = performance.now() - f0;
  const warm: number[] = [];
  let logits: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const out = await graph.run(input, 1, names);
    warm.push(performance.now() - s);
    logits = Array.from(out[LOGITS_OUTPUT]!.data.slice(0, 3));
  }
  const cpu = process.cpuUsage(cpu0);
  graph.dispose();
  return {
    figures: {
      backend: selection.backend ?? String(selection),
      loadMs: round(t1 - t0),
      inspectMs: round(t2 - t1),
      firstInferenceMs: round(first),
      warmMedianMs: round(median(warm)),
      warmMinMs: round(Math.min(...warm)),
      warmCpuMsPerInference: round((cpu.user + cpu.system) / 1000 / runs),
      inspection: inspection.notes,
      logits: logits.map((v) => Number(v.toFixed(5))),
    },
    spec,
    sha256,
  };
}

/** CPU time (user + system, ms) of `root` and every process below it, by parent PID from /proc (never by name). */
function treeCpuMs(root: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      /* exited meanwhile */
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total * 10; // USER_HZ = 100 on Linux
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream' };

/** Static files of the page build, and the model under /model/, on 127.0.0.1 only. */
function serve(pageDir: string, modelDir: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const url = decodeURIComponent((request.url ?? '/').split('?')[0] as string);
    const [base, rel] = url.startsWith('/model/') ? [modelDir, url.slice('/model/'.length)] : [pageDir, url === '/' ? 'index.html' : url.slice(1)];
    const file = normalize(join(base, rel));
    if (!file.startsWith(base) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

async function browserFigures(modelDir: string, port: number, runs: number): Promise<Record<string, unknown>> {
  const pageDir = join(tmpdir(), 'radlocal-bench-cache', 'import-model-page');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: join(ROOT, 'bench', 'import-model'),
    base: './',
    build: { outDir: pageDir, emptyOutDir: true, target: 'es2022' },
  });
  const server = await serve(pageDir, modelDir, port);
  const browserServer = await chromium.launchServer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const pid = browserServer.process().pid as number;
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult !== undefined, undefined, { timeout: 600_000 });
    const result = (await page.evaluate(() => (window as unknown as { benchResult: Record<string, unknown> }).benchResult)) as Record<string, unknown>;
    if (typeof result.error === 'string') throw new Error(`browser bench failed: ${result.error}`);
    const cpu0 = treeCpuMs(pid);
    const warm = await page.evaluate(
      (n) => (window as unknown as { benchWarm: (runs: number) => Promise<{ warmMs: number[]; logits: number[] }> }).benchWarm(n),
      runs,
    );
    const cpuMs = treeCpuMs(pid) - cpu0;
    return {
      backend: result.backend,
      simd: result.simd,
      threads: 1,
      loadMs: round(result.loadMs as number),
      fetchMs: round(result.fetchMs as number),
      sha256Ms: round(result.sha256Ms as number),
      buildMs: round(result.buildMs as number),
      firstInferenceMs: round(result.firstInferenceMs as number),
      warmMedianMs: round(median(warm.warmMs)),
      warmMinMs: round(Math.min(...warm.warmMs)),
      /** CPU time the browser's processes spent per warm inference: what the wall time would be on an idle core. */
      warmCpuMsPerInference: round(cpuMs / runs),
      logits: warm.logits.map((v) => Number(v.toFixed(5))),
    };
  } finally {
    await browser.close();
    await browserServer.close();
    await new Promise((ok) => server.close(ok));
  }
}

export async function run(args: string[]): Promise<void> {
  const size = Number(option(args, '--size', '224'));
  const runs = Number(option(args, '--runs', '10'));
  const port = Number(option(args, '--port', process.env.RADLOCAL_PORT ?? '4207'));
  const loadBefore = loadavg().map((v) => round(v));
  const { dir, parameters } = modelFolder(size);
  const node = await nodeFigures(dir, size, runs);
  writeFileSync(join(dir, 'bench-setup.json'), JSON.stringify({ spec: node.spec, size, runs, sha256: node.sha256 }));
  const browser = args.includes('--no-browser') ? undefined : await browserFigures(dir, port, runs);
  const result = {
    bench: 'import-model',
    model: { kind: 'DenseNet-121 graph model (generated)', input: `[N, 1, ${size}, ${size}] NCHW`, parameters, weightsMB: round((parameters * 4) / 1e6), outputs: 18 },
    runs,
    node: node.figures,
    chromium: browser,
    targetChromiumWarmMs: 300,
    machine: { cpus: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((v) => round(v)) },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
