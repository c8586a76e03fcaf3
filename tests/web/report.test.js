// smsup report in a real browser (file://): loads with no console error and
// no request leaving the file; tree, Gantt chart and client curve carry one
// shape per site / step / day; the findings filter works; hostile names in
// an inventory stay text.
'use strict';
const fs = require('fs');
const path = require('path');
const L = require('./lib');

async function main() {
  const puppeteer = L.requirements();
  const dir = L.tmpdir('report');
  const { inv, plan } = L.contosoPlan(dir);
  // Exit status 1 when the rehearsal finds problems (the example has some): the JSON is what counts.
  const reh = L.smsup(['rehearse', plan, '--format', 'json', '--no-databases', '--twin-dir', path.join(dir, 'twin')], { allowFail: true });
  if (reh.status > 1) throw new Error('smsup rehearse failed: ' + reh.stderr);
  const rehearsal = path.join(dir, 'rehearsal.json');
  fs.writeFileSync(rehearsal, reh.stdout);
  const html = path.join(dir, 'report.html');
  L.smsup(['report', '--inventory', inv, '--plan', plan, '--rehearsal', rehearsal, '--logs', path.join(dir, 'twin'), '-o', html]);

  const planJson = JSON.parse(fs.readFileSync(plan, 'utf8'));
  const rehJson = JSON.parse(reh.stdout);
  const browser = await L.launch(puppeteer, dir);
  try {
    const w = await L.watchedPage(browser, (u) => u.startsWith('file://') || u.startsWith('data:'));
    await w.page.goto('file://' + html, { waitUntil: 'load', timeout: 20000 });
    L.check(w.errors.length === 0, `no console error (${w.errors.join(' | ')})`);
    L.check(w.foreign.length === 0, `no request leaves the file (${w.foreign.join(', ')})`);
    const n = await w.page.evaluate(() => ({
      sites: document.querySelectorAll('#tree g.site').length,
      steps: document.querySelectorAll('#gantt rect.plan').length,
      crit: document.querySelectorAll('#gantt rect.plan.crit').length,
      manual: document.querySelectorAll('#gantt rect.plan.manual').length,
      days: document.querySelectorAll('#curve circle.pt').length,
      evidence: document.querySelectorAll('#evidence .site-evidence').length,
      findings: document.querySelectorAll('tr.finding').length,
      scripts: document.querySelectorAll('script').length,
    }));
    L.check(n.sites === rehJson.sites.length, `tree: ${n.sites} sites drawn, the rehearsal has ${rehJson.sites.length}`);
    L.check(n.steps === planJson.steps.length, `Gantt: ${n.steps} bars, the plan has ${planJson.steps.length} steps`);
    L.check(n.manual === planJson.steps.filter((s) => s.manual).length, `Gantt: ${n.manual} manual steps marked`);
    L.check(n.crit > 0, `Gantt: the critical path is marked (${n.crit} steps)`);
    L.check(n.days === rehJson.clients.days.length, `client curve: ${n.days} days, the rehearsal followed ${rehJson.clients.days.length}`);
    L.check(n.evidence === rehJson.sites.length, `evidence for each of the ${n.evidence} sites`);
    L.check(n.scripts === 1, 'one inline script, nothing loaded');

    // The findings filter: a blocker-only view shows only blocker rows.
    await w.page.select('#f-sev', 'blocker');
    const shown = await w.page.evaluate(() => [...document.querySelectorAll('tr.finding:not(.hidden)')].map((r) => r.dataset.sev));
    L.check(shown.length > 0 && shown.length < n.findings && shown.every((s) => s === 'blocker'),
            `filter by severity: ${shown.length} of ${n.findings} rows left, all blockers`);
    await w.page.select('#f-sev', '');
    // A click on a site of the tree opens its list of site systems.
    await w.page.click('#tree g.site');
    const open = await w.page.evaluate(() => document.querySelectorAll('details.systems[open]').length);
    L.check(open === 1, 'clicking a site opens its site systems');
    await w.page.screenshot({ path: L.screenshotPath('report.png'), fullPage: false });

    // Hostile names: the hierarchy, a site name and a host.
    let yaml = fs.readFileSync(inv, 'utf8');
    yaml = yaml.replace('hierarchy: Contoso', "hierarchy: '<script>alert(1)</script>'")
               .replace('name: Central site (Seattle)', `name: '"><img src=x onerror=alert(2)>'`);
    const hostile = path.join(dir, 'hostile.yaml');
    fs.writeFileSync(hostile, yaml);
    fs.copyFileSync(path.join(path.dirname(inv), 'clients.csv'), path.join(dir, 'clients.csv'));
    const bad = path.join(dir, 'hostile.html');
    L.smsup(['report', '--inventory', hostile, '--as-of', '2006-06-12', '-o', bad]);
    const h = await L.watchedPage(browser, (u) => u.startsWith('file://') || u.startsWith('data:'));
    await h.page.goto('file://' + bad, { waitUntil: 'load', timeout: 20000 });
    const seen = await h.page.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      text: document.body.innerText,
      title: document.title,
    }));
    L.check(h.dialogs.length === 0, `no script of the inventory ran (dialogs: ${h.dialogs.join(', ')})`);
    L.check(seen.imgs === 0 && seen.scripts === 1, 'no element made from a name');
    L.check(seen.title.includes('<script>alert(1)</script>'), 'the hierarchy name shows as text in the title');
    L.check(seen.text.includes('"><img src=x onerror=alert(2)>'), 'the site name shows as text');
    L.check(h.foreign.length === 0 && h.errors.length === 0, 'hostile page: no request, no console error');
  } finally {
    await browser.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => L.fail(e.stack || String(e)));
