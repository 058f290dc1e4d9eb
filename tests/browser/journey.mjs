#!/usr/bin/env node
// Browser journey test for the foobar guestbook.
//
//   node tests/browser/journey.mjs URL SCREENSHOT_PATH
//   e.g. ip netns exec client node tests/browser/journey.mjs \
//          https://www.foobar.com/ tests/artifacts/journey.png
//
// Launches Debian's /usr/bin/chromium (headless) through playwright-core,
// loads the page, waits for the message list to be loaded, posts a unique
// message through the form, waits until it is listed, checks #served-by, takes
// a full-page screenshot and prints ONE line of JSON:
//   {"ok":true,"served_by":"app1","messages":N,"screenshot":"..."}   exit 0
//   {"ok":false,"error":"...","step":"...","screenshot":"..."}         exit 1
// (bad arguments also exit 1)
// The screenshot is attempted on failure too. Hard overall timeout: 60 s.

import { mkdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Chromium trusts NSS's store, not /etc/ssl. On a lab host that trusts the lab CA (client,
// loadgen: `foobar up` puts it in their /etc/ssl), accept certificates chaining to that CA's
// key (and no others) with Chromium's SPKI allowlist, as a browser told to trust it would.
const LAB_CA = '/etc/ssl/certs/foobar-lab-ca.pem';
function labCaArgs() {
  if (!existsSync(LAB_CA)) return [];
  const spki = new X509Certificate(readFileSync(LAB_CA)).publicKey.export({ type: 'spki', format: 'der' });
  return [`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`];
}
const HARD_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;
const APPEAR_TIMEOUT_MS = 10_000;
const AUTHOR = 'browser-test';

const USAGE = 'usage: node journey.mjs URL SCREENSHOT_PATH';

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function oneLine(s) {
  return String(s ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '')      // ANSI colours from Playwright call logs
    .replace(/\s+/g, ' ').trim().slice(0, 600);
}

const [url, shotArg] = process.argv.slice(2);
if (!url || !shotArg) {
  emit({ ok: false, error: USAGE, step: 'args', screenshot: null });
  process.exit(1);
}
try {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
} catch {
  emit({ ok: false, error: `invalid URL: ${url}`, step: 'args', screenshot: null });
  process.exit(1);
}
const screenshot = path.resolve(shotArg);

// Last-resort guard: whatever happens, the process ends.
const killer = setTimeout(() => {
  emit({ ok: false, error: `hard timeout: process did not finish within ${HARD_TIMEOUT_MS + 15_000} ms`,
         step: 'exit', screenshot: null });
  process.exit(1);
}, HARD_TIMEOUT_MS + 15_000);
killer.unref();

let step = 'launch';
let browser = null;
let page = null;
const diag = { console: [], failed: [] };

async function journey() {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--no-proxy-server',
      ...labCaArgs(),
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') diag.console.push(oneLine(m.text()));
  });
  page.on('pageerror', (e) => diag.console.push(oneLine(`pageerror: ${e.message}`)));
  page.on('requestfailed', (r) => diag.failed.push(oneLine(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`)));

  step = 'open';
  const resp = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: STEP_TIMEOUT_MS });
  if (!resp) throw new Error(`no response for ${url}`);
  if (!resp.ok()) throw new Error(`GET ${url} -> HTTP ${resp.status()}`);

  step = 'load-messages';
  try {
    await page.waitForSelector('#messages[data-loaded="true"]', { state: 'attached', timeout: STEP_TIMEOUT_MS });
  } catch (e) {
    const status = await page.locator('#status').textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`message list never loaded (#messages[data-loaded="true"] missing)` +
                    (status ? `; page says: ${oneLine(status)}` : ''));
  }

  step = 'post';
  const body = `hello from chromium ${Date.now()}-${randomBytes(4).toString('hex')}`;
  await page.fill('#author', AUTHOR);
  await page.fill('#body', body);
  const postResp = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/messages',
    { timeout: APPEAR_TIMEOUT_MS },
  ).catch(() => null);
  await page.click('#submit');

  step = 'wait-message';
  try {
    await page.waitForFunction(
      (text) => Array.from(document.querySelectorAll('.message .body')).some((el) => el.textContent === text),
      body,
      { timeout: APPEAR_TIMEOUT_MS, polling: 100 },
    );
  } catch (e) {
    const r = await postResp;
    const err = await page.locator('#error').textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`posted message did not appear within ${APPEAR_TIMEOUT_MS} ms` +
                    (r ? `; POST /api/messages -> HTTP ${r.status()}` : '; no POST response seen') +
                    (err && err.trim() ? `; #error says: ${oneLine(err)}` : ''));
  }

  step = 'served-by';
  const servedBy = oneLine(await page.locator('#served-by').textContent());
  if (!servedBy) throw new Error('#served-by is empty (no X-Served-By header on API responses?)');

  const messages = await page.locator('#messages .message').count();

  step = 'screenshot';
  await mkdir(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true, timeout: STEP_TIMEOUT_MS });

  return { ok: true, served_by: servedBy, messages, screenshot };
}

async function failureScreenshot() {
  if (!page || page.isClosed()) return null;
  try {
    await mkdir(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true, timeout: 5_000 });
    return screenshot;
  } catch {
    return null;
  }
}

let hardTimer = null;
const hardTimeout = new Promise((_, reject) => {
  hardTimer = setTimeout(() => reject(new Error(`journey timed out after ${HARD_TIMEOUT_MS} ms`)),
                         HARD_TIMEOUT_MS);
});

let code = 1;
try {
  const result = await Promise.race([journey(), hardTimeout]);
  emit(result);
  code = 0;
} catch (e) {
  const shot = await failureScreenshot();
  const out = { ok: false, error: oneLine(e?.message ?? e), step, screenshot: shot };
  if (diag.console.length) out.console_errors = diag.console.slice(0, 5);
  if (diag.failed.length) out.failed_requests = diag.failed.slice(0, 5);
  emit(out);
  code = 1;
} finally {
  clearTimeout(hardTimer);
  if (browser) {
    await Promise.race([
      browser.close().catch(() => {}),
      new Promise((r) => setTimeout(r, 10_000)),
    ]);
  }
}
process.exit(code);
