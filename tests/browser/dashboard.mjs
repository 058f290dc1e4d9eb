#!/usr/bin/env node
// Browser test of the monitoring dashboard (served by Prometheus on the monitoring host at /user/).
//
//   node tests/browser/dashboard.mjs URL SCREENSHOT_PATH
//   e.g. ip netns exec mon-01 node tests/browser/dashboard.mjs \
//          http://127.0.0.1:9090/user/ tests/artifacts/dashboard.png
//
// Launches Debian's /usr/bin/chromium (headless) through playwright-core, loads the page, waits
// until its script has filled it from Prometheus (body[data-live="1"]) and the diagram is drawn
// and coloured, reads the live numbers, takes a full-page screenshot and prints ONE line of JSON:
//   {"ok":true,"requests_per_s":"1.2","error_ratio":"0.00 %","hosts":[...],"screenshot":"..."}  exit 0
//   {"ok":false,"error":"...","step":"...","screenshot":"..."}                                  exit 1
// Hard overall timeout: 60 s.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HARD_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 20_000;

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const oneLine = (s) => String(s ?? '').replace(/\u001b\[[0-9;]*m/g, '').replace(/\s+/g, ' ').trim().slice(0, 600);

const [url, shotArg] = process.argv.slice(2);
if (!url || !shotArg) {
  emit({ ok: false, error: 'usage: node dashboard.mjs URL SCREENSHOT_PATH', step: 'args', screenshot: null });
  process.exit(1);
}
const screenshot = path.resolve(shotArg);

let step = 'launch';
let browser = null;
let page = null;
const diag = { console: [], failed: [] };

async function run() {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--no-proxy-server'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') diag.console.push(oneLine(m.text())); });
  page.on('pageerror', (e) => diag.console.push(oneLine(`pageerror: ${e.message}`)));
  page.on('requestfailed', (r) => diag.failed.push(oneLine(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`)));

  step = 'open';
  const resp = await page.goto(url, { waitUntil: 'domcontentloaded' });
  if (!resp || !resp.ok()) throw new Error(`GET ${url} -> ${resp ? 'HTTP ' + resp.status() : 'no response'}`);

  step = 'live';
  try {
    await page.waitForSelector('body[data-live="1"]', { state: 'attached' });
  } catch {
    const updated = await page.locator('#updated').textContent({ timeout: 1000 }).catch(() => null);
    throw new Error('the page never filled from Prometheus' + (updated ? `; it says: ${oneLine(updated)}` : ''));
  }

  step = 'diagram';
  const boxes = await page.locator('#diagram g.box').count();
  const coloured = await page.locator('#diagram g.box.health-ok, #diagram g.box.health-down').count();
  if (boxes === 0) throw new Error('the diagram has no boxes');
  if (coloured === 0) throw new Error('no box of the diagram is coloured by health');

  step = 'numbers';
  const text = async (sel) => oneLine(await page.locator(sel).textContent());
  const result = {
    ok: true,
    requests_per_s: await text('#tile-rps'),
    error_ratio: await text('#tile-errors'),
    latency: await text('#tile-latency'),
    probe: await text('#tile-probe'),
    overall: await text('#overall'),
    boxes,
    coloured_boxes: coloured,
    hosts: await page.locator('#hosts tbody tr').evaluateAll((rows) => rows.map((r) => r.cells[0].textContent)),
    databases: await page.locator('#databases tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent)),
    alerts: await page.locator('#alerts tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent)),
    screenshot,
  };
  if (!/^\d/.test(result.requests_per_s)) throw new Error(`no live request rate: '${result.requests_per_s}'`);

  step = 'screenshot';
  await mkdir(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  return result;
}

let hardTimer = null;
const hardTimeout = new Promise((_, reject) => {
  hardTimer = setTimeout(() => reject(new Error(`timed out after ${HARD_TIMEOUT_MS} ms`)), HARD_TIMEOUT_MS);
});

let code = 1;
try {
  emit(await Promise.race([run(), hardTimeout]));
  code = 0;
} catch (e) {
  let shot = null;
  if (page && !page.isClosed()) {
    shot = await mkdir(path.dirname(screenshot), { recursive: true })
      .then(() => page.screenshot({ path: screenshot, fullPage: true, timeout: 5_000 }))
      .then(() => screenshot, () => null);
  }
  const out = { ok: false, error: oneLine(e?.message ?? e), step, screenshot: shot };
  if (diag.console.length) out.console_errors = diag.console.slice(0, 5);
  if (diag.failed.length) out.failed_requests = diag.failed.slice(0, 5);
  emit(out);
} finally {
  clearTimeout(hardTimer);
  if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
}
process.exit(code);
