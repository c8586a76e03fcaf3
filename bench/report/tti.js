// Time to interactive of a report in Chromium: navigation start to the
// DOMContentLoaded end (the page's script has run), and to load.
'use strict';
const puppeteer = require('puppeteer-core');
(async () => {
  const file = process.argv[2];
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto('file://' + file, { waitUntil: 'load', timeout: 120000 });
  const wall = Date.now() - t0;
  const t = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { interactive: n.domInteractive, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
             elements: document.getElementsByTagName('*').length };
  });
  console.log(`  chromium: interactive ${(t.dcl / 1000).toFixed(2)} s, load ${(t.load / 1000).toFixed(2)} s (wall ${(wall / 1000).toFixed(2)} s) (goal: < 3 s); ${t.elements} elements`);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
