/**
 * Imported graph models in the viewer: Node ↔ Chromium parity of the scores (≤ 1e-4), and the
 * heatmap kind the card states shown under the findings. Two imports made here with the real
 * CLI on phantoms — a channels-first grey model shaped like a TorchXRayVision export
 * (generated: no NCHW graph model is published on npm; exact CAM) and a published third-party
 * RGB graph model (@vladmandic/human's antispoof classifier, sigmoid behind a flatten:
 * feature-energy map) — served to the page at ./models/NAME/ by request routing, so no model
 * is added to the build.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../fixtures/external-fixtures.ts';
import { smallGraphModel } from '../graph-model-builder.ts';
import { phantomFiles } from './helpers/model-under-test.ts';
import { gotoViewer, openFiles, waitForRender } from './helpers/viewer.ts';

test.use({ serviceWorkers: 'block' });

const CLI = join(REPO_ROOT, 'training', 'bin', 'radlocal.mjs');
const HUMAN = join(REPO_ROOT, 'node_modules', '@vladmandic', 'human', 'models');
let root: string;

function radlocal(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'radlocal-e2e-graph-'));
  const data = join(root, 'calibration');
  radlocal(['synth', '--out', data, '--count', '40', '--seed', '21', '--size', '128']);
  const nchw = join(root, 'converted-nchw');
  mkdirSync(nchw);
  const built = smallGraphModel({ layout: 'nchw', channels: 1, size: 64, outputs: 6, seed: 3 });
  writeFileSync(join(nchw, 'model.json'), JSON.stringify(built.json));
  writeFileSync(join(nchw, 'group1-shard1of1.bin'), built.shard);
  radlocal(['import-model', '--from', nchw, '--out', join(root, 'models', 'graph-nchw-e2e'), '--data', data, '--backend', 'wasm',
    '--labels', 'cardiomegaly=#1,pleural_effusion=#2,pneumothorax=#3,nodule=#5', '--intensity=-1024,1024', '--fit', 'center-crop']);
  const rgb = join(root, 'converted-rgb');
  mkdirSync(rgb);
  copyFileSync(join(HUMAN, 'antispoof.json'), join(rgb, 'model.json'));
  copyFileSync(join(HUMAN, 'antispoof.bin'), join(rgb, 'antispoof.bin'));
  radlocal(['import-model', '--from', rgb, '--out', join(root, 'models', 'graph-rgb-e2e'), '--data', data, '--backend', 'wasm', '--labels', 'cardiomegaly=#0', '--intensity=0,1']);
});

for (const [name, camKind] of [['graph-nchw-e2e', 'class-activation'], ['graph-rgb-e2e', 'feature-energy']] as const) {
  test(`${name}: the page's scores equal radlocal predict's (≤ 1e-4) and the heatmap kind is the card's (${camKind})`, async ({ page, context }) => {
    const dir = join(root, 'models', name);
    await context.route(`**/models/${name}/**`, async (route) => {
      const file = join(dir, new URL(route.request().url()).pathname.split(`/models/${name}/`)[1] ?? '');
      if (!existsSync(file)) return route.fulfill({ status: 404 });
      await route.fulfill({ status: 200, body: readFileSync(file), contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    });
    const file = phantomFiles()[0] as string;
    const cli = JSON.parse(radlocal(['predict', '--model', dir, file, '--json']).trim().split('\n')[0] as string) as { scores: Record<string, number> };

    await gotoViewer(page, `#model=${name}`);
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'ready');
    await openFiles(page, [file]);
    await waitForRender(page);
    const labels = Object.keys(cli.scores);
    let worst = 0;
    for (const label of labels) {
      await expect(page.getByTestId(`score-${label}`)).toHaveAttribute('data-score', /\d/);
      const shown = Number(await page.getByTestId(`score-${label}`).getAttribute('data-score'));
      worst = Math.max(worst, Math.abs(shown - (cli.scores[label] as number)));
    }
    test.info().annotations.push({ type: `${name}: max |score page − score CLI|`, description: String(worst) });
    console.info(`${name}: max |score page − score CLI| = ${worst}`);
    test.info().annotations.push({ type: 'backend', description: (await page.getByTestId('backend').getAttribute('data-backend')) ?? 'unknown' });
    expect(worst).toBeLessThanOrEqual(1e-4);
    await expect(page.getByTestId('heatmap-kind')).toHaveAttribute('data-kind', camKind);
    await page.screenshot({ path: test.info().outputPath(`import-${name}.png`) });
  });
}
