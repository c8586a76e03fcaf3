// smsup serve in a real browser, beside a running twin apply: the page loads
// with no console error and no request leaving the machine; confirming a
// waiting step from the page changes the journal and the page shows the step
// succeeded within 5 s; a retry after an injected failure runs the step
// again; a cross-origin POST, a request without the token and a POST to a
// read-only server are refused.
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const L = require('./lib');

function request(base, method, p, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    if (body !== undefined) headers = { ...headers, 'Content-Length': Buffer.byteLength(body) };
    const req = http.request(base + p, { method, headers }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function journalStep(journal, id) {
  const r = L.smsup(['status', '--journal', journal, '--format', 'json'], { allowFail: true });
  return JSON.parse(r.stdout).steps.find((s) => s.id === id);
}

async function main() {
  const puppeteer = L.requirements();
  const dir = L.tmpdir('serve');
  const { plan } = L.contosoPlan(dir);
  const planJson = JSON.parse(fs.readFileSync(plan, 'utf8'));
  // The first manual step; and the first automatic step no manual step
  // comes before, which fails at its first attempt (the twin's fault; a retry
  // succeeds) while the manual steps wait, so `apply --wait` goes on.
  const manual = planJson.steps.find((s) => s.manual);
  const behindPerson = {};
  for (const s of planJson.steps) behindPerson[s.id] = s.manual || s.after.some((a) => behindPerson[a]);
  const faulty = planJson.steps.find((s) => !behindPerson[s.id] && s.site !== '*');
  if (!manual || !faulty) throw new Error('the example plan has no manual step, or no automatic step before any');
  const journal = path.join(dir, 'journal.db');
  const applyArgs = ['apply', plan, '--target', 'twin', '--journal', journal, '--wait', '--no-databases', '--plain',
                     '--faults', `${faulty.kind}@${faulty.site}=fail`];
  let apply = L.start(applyArgs);
  let server, token, ro;
  const browser = await L.launch(puppeteer, dir);
  try {
    await L.waitFor(() => fs.existsSync(journal) && (journalStep(journal, manual.id) || {}).state === 'waiting' &&
                          journalStep(journal, faulty.id).state === 'failed',
                    30000, `${manual.id} waits for a person and ${faulty.id} failed`);
    server = await L.serve(['--journal', journal]);
    const w = await L.watchedPage(browser, (u) => u.startsWith(server.base + '/'));
    await w.page.goto(server.base + '/', { waitUntil: 'load', timeout: 20000 });
    const sel = (id, state) => `#gantt g.row[data-step="${id}"][data-state="${state}"]`;
    const n = await w.page.evaluate(() => ({
      steps: document.querySelectorAll('#gantt rect.plan').length,
      rows: JSON.parse(document.getElementById('gantt-data').textContent).rows.length,
      sites: document.querySelectorAll('#tree g.site').length,
    }));
    // A plan this small is drawn whole (a big one in the window in view).
    L.check(n.rows === planJson.steps.length && n.steps === n.rows,
            `Gantt: ${n.steps} bars drawn from ${n.rows} rows of data for ${planJson.steps.length} steps`);
    L.check(n.sites > 0, `tree: ${n.sites} sites`);
    await w.page.type('#who', 'Ann Operator');

    // The injected failure, retried from the page: the step runs again.
    await w.page.waitForSelector(`.ops-step.failed[data-step="${faulty.id}"] button.retry`, { timeout: 5000 });
    L.check(journalStep(journal, faulty.id).attempts === 1, `${faulty.id} failed at its first attempt`);
    // The live part is redrawn as the apply goes on: click inside the page in
    // one go, so that no element handle goes stale in between.
    await w.page.evaluate((id) => document.querySelector(`.ops-step.failed[data-step="${id}"] button.retry`).click(), faulty.id);
    await L.waitFor(() => journalStep(journal, faulty.id).state !== 'failed', 5000, `${faulty.id} set back by the retry`);
    if (apply.child.exitCode !== null) {
      // Nothing was left waiting, so apply had ended: go on as an operator would.
      apply = L.start([...applyArgs, '--resume']);
    }
    await L.waitFor(() => { const s = journalStep(journal, faulty.id); return s.state === 'succeeded' && s.attempts >= 2; },
                    30000, `${faulty.id} runs again and succeeds`);
    L.check(true, `${faulty.id} ran again after the retry and succeeded`);
    await w.page.waitForSelector(sel(faulty.id, 'succeeded'), { timeout: 5000 });
    const ev0 = JSON.parse((await request(server.base, 'GET', '/api/events')).body).events;
    L.check(ev0.some((e) => e.step === faulty.id && e.how === 'retry' && /by Ann Operator from 127\.0\.0\.1/.test(e.detail)),
            '/api/events records the retry and who asked for it');

    // Confirm a waiting step from the page.
    await w.page.waitForSelector(`.ops-step.waiting[data-step="${manual.id}"] button.confirm`, { timeout: 5000 });
    const t0 = Date.now();
    await w.page.evaluate((id) => {
      document.getElementById('note-' + id).value = 'backup checked';
      document.querySelector(`.ops-step.waiting[data-step="${id}"] button.confirm`).click();
    }, manual.id);
    await w.page.waitForSelector(sel(manual.id, 'succeeded'), { timeout: 5000 });
    L.check(true, `the page shows ${manual.id} succeeded ${Date.now() - t0} ms after the click`);
    const js = journalStep(journal, manual.id);
    L.check(js.state === 'succeeded' && /backup checked \[by Ann Operator from 127\.0\.0\.1/.test(js.note),
            `the journal holds the confirmation, who and from where: "${js.note}"`);
    const ev = JSON.parse((await request(server.base, 'GET', '/api/events')).body).events;
    L.check(ev.some((e) => e.step === manual.id && e.how === 'confirm' && /Ann Operator/.test(e.detail)),
            '/api/events records the confirmation and who made it');
    L.check(w.errors.length === 0, `no console error (${w.errors.join(' | ')})`);
    L.check(w.foreign.length === 0, `no request leaves the machine (${w.foreign.join(', ')})`);
    await w.page.screenshot({ path: L.screenshotPath('serve.png'), fullPage: false });

    // Refusals.
    const body = JSON.stringify({ step: manual.id, who: 'Mallory' });
    let r = await request(server.base, 'POST', '/api/retry',
                          { headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' }, body });
    L.check(r.status === 403, `a POST from another origin is refused (${r.status} ${r.body})`);
    r = await request(server.base, 'POST', '/api/confirm', { headers: { Origin: server.base, 'Content-Type': 'application/json' }, body: '{"step":' });
    L.check(r.status === 400, `a malformed body gets 400 (${r.body})`);
    r = await request(server.base, 'POST', '/api/confirm', { headers: { Origin: server.base, 'Content-Type': 'application/json' },
                                                              body: '{"step": "CEN/drw", "who": 1e999}' });
    L.check(r.status === 400, `a number too large for JSON gets 400, not 500 (${r.status} ${r.body})`);
    r = await request(server.base, 'POST', '/api/confirm', { headers: { Origin: server.base, 'Content-Type': 'application/json' },
                                                              body: JSON.stringify({ step: 'NOPE/x', who: 'Ann' }) });
    L.check(r.status === 404, `an unknown step gets 404 (${r.body})`);
    r = await request(server.base, 'POST', '/api/confirm', { headers: { Origin: server.base, 'Content-Type': 'application/json' },
                                                              body: 'x'.repeat(200 * 1024) });
    L.check(r.status === 413, `a huge body gets 413 (${r.status} ${r.body})`);
    r = await request(server.base, 'GET', '/api/status');
    L.check(r.status === 200 && JSON.parse(r.body).format === 'smsup-status/1', 'the server still answers');

    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'secret-token-0123456789abcdef\n');
    token = await L.serve(['--journal', journal, '--token-file', tokenFile]);
    r = await request(token.base, 'GET', '/api/status');
    L.check(r.status === 401, `without the token: 401`);
    r = await request(token.base, 'GET', '/api/status', { headers: { Authorization: 'Bearer secret-token-0123456789abcdef' } });
    L.check(r.status === 200, `with the bearer token: 200`);
    const t = await L.watchedPage(browser, (u) => u.startsWith(token.base + '/'));
    await t.page.goto(token.base + '/', { waitUntil: 'load' });
    await t.page.type('input[name=token]', 'secret-token-0123456789abcdef');
    await Promise.all([t.page.waitForNavigation({ waitUntil: 'load' }), t.page.click('button[type=submit]')]);
    L.check(await t.page.$('#gantt') !== null, 'the token entered once opens the page (cookie)');
    const bad = L.smsup(['serve', '--journal', journal, '--listen', '0.0.0.0:0'], { allowFail: true });
    L.check(bad.status === 2 && /token-file/.test(bad.stderr), `a non-loopback address without --token-file: exit 2 (${bad.stderr.trim()})`);

    ro = await L.serve(['--journal', journal, '--read-only']);
    const p = await L.watchedPage(browser, (u) => u.startsWith(ro.base + '/'));
    await p.page.goto(ro.base + '/', { waitUntil: 'load' });
    L.check((await p.page.$$('form.steer')).length === 0 && (await p.page.$('#who')) === null, 'read-only: no steering controls');
    r = await request(ro.base, 'POST', '/api/confirm', { headers: { Origin: ro.base, 'Content-Type': 'application/json' }, body });
    L.check(r.status === 403, `read-only: a POST is refused (${r.status})`);
  } finally {
    await browser.close();
    await Promise.all([server, token, ro, apply].map(L.stop));
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => L.fail(e.stack || String(e)));
