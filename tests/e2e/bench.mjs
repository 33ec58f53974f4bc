// Times a report in headless Chromium: load, then activating each finding (highlight and
// scroll), as a person would. Not a test: `node tests/e2e/bench.mjs REPORT.html`.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
const profile = mkdtempSync(join(tmpdir(), 'crosscheck-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1500, height: 1000 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  const t0 = Date.now();
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  const load = Date.now() - t0;
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
  });
  const clicks = await page.evaluate(() => {
    const times = [];
    for (const b of document.querySelectorAll('button.fbtn')) {
      const t = performance.now();
      b.click();
      document.body.getBoundingClientRect(); // force the layout the click caused
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { findings: times.length, median: times[times.length >> 1], max: times[times.length - 1] };
  });
  console.log(JSON.stringify({ file, wallLoadMs: load, ...nav, activation: clicks }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
