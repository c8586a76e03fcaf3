// Shared by the browser tests: Debian's chromium through puppeteer-core
// (never a browser download), the smsup binary, bounded waits, a record of
// every request a page makes.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const SMSUP = process.env.SMSUP_BINARY;
const SOURCE = process.env.SMSUP_SOURCE_DIR;
const SHOTS = process.env.SMSUP_SCREENSHOTS;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
  console.log('ok - ' + msg);
}

function requirements() {
  if (!SMSUP || !fs.existsSync(SMSUP)) fail('SMSUP_BINARY does not name the smsup binary');
  if (!fs.existsSync(CHROMIUM)) {
    fail(`chromium is missing (${CHROMIUM}); install Debian's chromium package (scripts/deps.sh does)`);
  }
  try {
    return require('puppeteer-core');
  } catch (e) {
    fail('puppeteer-core is missing: the test set-up (npm ci in tests/web, from package-lock.json) did not install it: ' + e.message);
  }
}

function tmpdir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `smsup-web-${name}-`));
}

function smsup(args, opts = {}) {
  const r = spawnSync(SMSUP, args, { encoding: 'utf8', ...opts });
  if (opts.allowFail) return r;
  if (r.status !== 0) throw new Error(`smsup ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r;
}

async function launch(puppeteer, dir) {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: path.join(dir, 'chromium-profile'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
    timeout: 30000,
  });
}

// A page whose console errors and requests are recorded; any request that
// is not to `allowed` (a function of the URL) is aborted and remembered.
async function watchedPage(browser, allowed) {
  const page = await browser.newPage();
  const errors = [], foreign = [], dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (allowed(req.url())) return req.continue();
    foreign.push(req.url());
    req.abort();
  });
  return { page, errors, foreign, dialogs };
}

// Polls `probe` (async, truthy when done) until it holds or `ms` pass.
async function waitFor(probe, ms, what) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms: ${what} (last: ${last})`);
}

// Starts a long-running smsup; returns { child, out() } with stdout so far.
function start(args) {
  const child = spawn(SMSUP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  return { child, out: () => out, err: () => err };
}

async function serve(args) {
  const s = start(['serve', '--listen', '127.0.0.1:0', ...args]);
  const m = await waitFor(() => /http:\/\/127\.0\.0\.1:(\d+)\//.exec(s.out()) ||
                                  (s.child.exitCode !== null && Promise.reject(new Error('serve exited: ' + s.err()))),
                          10000, 'smsup serve prints its address');
  s.port = Number(m[1]);
  s.base = `http://127.0.0.1:${s.port}`;
  return s;
}

// Ends a process of start() or serve() and waits, 10 s at most, for it to
// exit: its folder is removed next, and a twin apply still writing into it
// made that fail (ENOTEMPTY) on a loaded machine.
function stop(s) {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const bound = setTimeout(done, 10000);
    s.child.once('exit', () => { clearTimeout(bound); done(); });
    s.child.kill('SIGTERM');
  });
}

// Clicks `selector` as a person would: once it is in view and drawn. The
// page lays out a section only when it comes into view (content-visibility),
// so a click at the coordinates taken while scrolling could land beside it.
async function clickInView(page, selector) {
  await page.evaluate((sel) => new Promise((done) => {
    document.querySelector(sel).scrollIntoView({ block: 'center' });
    requestAnimationFrame(() => requestAnimationFrame(done));
  }), selector);
  await page.click(selector);
}

function screenshotPath(name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, name);
}

// The contoso example planned as `smsup demo` plans it (its blockers waived).
function contosoPlan(dir, extra = []) {
  const inv = path.join(SOURCE, 'examples/contoso/contoso.yaml');
  const plan = path.join(dir, 'plan.json');
  const r = smsup(['plan', inv, '-o', plan, '--as-of', '2006-06-12', ...extra], { allowFail: true });
  if (r.status !== 0) {
    // Waive what the example blocks on purpose, as the demo does.
    const rules = [...new Set([...(r.stderr + r.stdout).matchAll(/--waive[ =]([a-z0-9-]+)/g)].map((m) => m[1]))];
    const check = smsup(['check', inv, '--format', 'json', '--as-of', '2006-06-12'], { allowFail: true });
    const blockers = [...new Set(JSON.parse(check.stdout).findings.filter((f) => f.severity === 'blocker').map((f) => f.rule))];
    const waive = [...new Set([...rules, ...blockers])].flatMap((w) => ['--waive', w]);
    smsup(['plan', inv, '-o', plan, '--as-of', '2006-06-12', ...waive, ...extra]);
  }
  return { inv, plan };
}

module.exports = { fail, check, requirements, tmpdir, smsup, launch, watchedPage, waitFor, start, serve, stop,
                   clickInView, screenshotPath, contosoPlan, SOURCE };
