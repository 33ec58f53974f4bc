// Opens a crosscheck HTML report in headless Chromium (Debian's /usr/bin/chromium, never a
// downloaded browser) and checks it as a fact-checker would use it:
//   node tests/e2e/report.mjs REPORT.html [--hostile]
// --hostile: the report includes the crafted hostile article (tests/e2e/fixtures), whose text
// must be shown as text. Screenshots go to target/e2e/ (report.png, report-phone.png).
// Exit status 0 when every check passed.

import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const hostile = args.includes('--hostile');
if (!file) {
  console.error('usage: node report.mjs REPORT.html [--hostile]');
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'target', 'e2e');
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok - ${name}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  }
}

const profile = mkdtempSync(join(tmpdir(), 'crosscheck-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1500, height: 1000 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

try {
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') { problems.push(`console: ${m.text()}`); } });
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  const requests = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) { return route.continue(); }
    requests.push(url);
    return route.abort();
  });

  await page.goto(pathToFileURL(resolve(file)).href);
  await page.waitForLoadState('load');

  // The contradiction about the US leader.
  const finding = page.locator('li.finding.k-contradiction')
    .filter({ hasText: /biden/i })
    .filter({ hasText: /trump/i })
    .first();
  const found = (await finding.count()) === 1;
  check('the Biden vs Trump contradiction is listed', found);
  // Without the finding the interaction checks cannot run: they count as failed.
  const button = finding.locator('button.fbtn');
  if (!found) {
    for (const name of ['activating the finding by click', 'activating the finding by keyboard']) {
      check(name, false, 'no Biden vs Trump contradiction in the report');
    }
  }
  const id = found ? await button.getAttribute('data-f') : null;
  // What the page shows for this finding right now: highlighted marks, by version.
  const state = () => page.evaluate((fid) => {
    const hits = [...document.querySelectorAll('mark.hit')];
    const versions = new Map();
    for (const m of hits) {
      const ver = m.closest('.ver');
      const body = m.closest('.ver-b');
      const key = ver ? ver.id : '?';
      if (!versions.has(key)) {
        const r = m.getBoundingClientRect();
        const b = body.getBoundingClientRect();
        versions.set(key, {
          text: '',
          // The first highlighted span is scrolled into its column's view.
          visible: r.top >= b.top - 1 && r.bottom <= b.bottom + 1,
        });
      }
      versions.get(key).text += ` ${m.textContent}`;
    }
    return {
      pressed: document.querySelector(`button.fbtn[data-f="${fid}"]`).getAttribute('aria-pressed'),
      allMarksOfFinding: hits.every((m) => m.dataset.f.split(' ').includes(fid)),
      hits: hits.length,
      versions: [...versions.entries()].map(([k, v]) => ({ id: k, ...v })),
    };
  }, id);

  if (found) {
    const highlighted = (s) => {
      const texts = s.versions.map((v) => v.text.toLowerCase());
      return s.pressed === 'true' && s.allMarksOfFinding && s.versions.length >= 2
        && texts.some((t) => t.includes('biden')) && texts.some((t) => t.includes('trump'))
        && s.versions.every((v) => v.visible);
    };

    // Activation by pointer.
    await button.click();
    let s = await state();
    check('clicking the finding highlights its evidence in every version (Biden in one, Trump in another), scrolled into view', highlighted(s), s);
    await page.screenshot({ path: join(outDir, 'report.png') });

    await button.click();
    s = await state();
    check('clicking it again clears the highlight', s.hits === 0 && s.pressed === 'false', s);

    // Activation by keyboard: Tab to the finding, Enter.
    await page.keyboard.press('Escape');
    await page.locator('body').focus();
    let reached = false;
    // Reachable means in the tab order: a full cycle over every focusable element (plus the
    // stops outside the page where the cycle wraps) must land on it.
    const focusable = await page.evaluate(() => document.querySelectorAll(
      'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])').length);
    for (let i = 0; i <= focusable + 3 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((fid) => document.activeElement?.dataset?.f === fid
        && document.activeElement.matches('button.fbtn'), id);
    }
    check('the finding can be reached with Tab', reached);
    if (!reached) { await button.focus(); }
    const focusRing = await page.evaluate(() => {
      const st = getComputedStyle(document.activeElement);
      return { focusVisible: document.activeElement.matches(':focus-visible'), outline: st.outlineStyle, width: st.outlineWidth };
    });
    check('the focused finding shows a visible focus ring', focusRing.focusVisible && focusRing.outline !== 'none' && focusRing.width !== '0px', focusRing);
    await page.keyboard.press('Enter');
    s = await state();
    check('pressing Enter on the finding highlights the evidence in both versions', highlighted(s), s);
    await page.keyboard.press('Escape');
    s = await state();
    check('Escape clears the highlight', s.hits === 0, s);
  }

  // Nothing from article text ran or became markup.
  const safety = await page.evaluate(() => {
    const handlers = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.getAttributeNames()) {
        if (a.toLowerCase().startsWith('on')) { handlers.push(`${el.tagName}[${a}]`); }
      }
    }
    const links = [...document.querySelectorAll('[href]')].map((a) => a.getAttribute('href'))
      .filter((h) => !(h.startsWith('#') || /^https?:\/\//i.test(h)));
    return {
      pwned: typeof window.__pwned,
      scripts: document.scripts.length,
      handlers,
      links,
      foreign: document.querySelectorAll('.ver-b img, .ver-b iframe, .ver-b svg, .ver-b div, .ver-b a, .ver-b script, .ver-b style').length,
      styles: document.querySelectorAll('style').length,
      text: document.body.innerText,
    };
  });
  check('no script from article text ran (window.__pwned is undefined)', safety.pwned === 'undefined', safety.pwned);
  check('the page has only its own script and stylesheet', safety.scripts === 1 && safety.styles === 1, { scripts: safety.scripts, styles: safety.styles });
  check('no element carries an event-handler attribute', safety.handlers.length === 0, safety.handlers);
  check('every link stays in the page or is http(s)', safety.links.length === 0, safety.links);
  check('article text made no elements inside the versions', safety.foreign === 0, safety.foreign);
  if (hostile) {
    check('the hostile article is shown, its markup as text', safety.text.includes('<script>window.__pwned=1</script>')
      && /onerror=/.test(safety.text), null);
  }
  check('the page loaded nothing from the network', requests.length === 0, requests);
  check('no page errors, console errors or dialogs (CSP violations included)', problems.length === 0, problems);

  // On a phone the columns stack and nothing overflows sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  const phone = await page.evaluate(() => {
    const xs = [...document.querySelectorAll('.ver')].map((v) => Math.round(v.getBoundingClientRect().left));
    return { stacked: new Set(xs).size <= 1, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
  });
  check('on a phone the versions stack and the page fits the screen', phone.stacked && phone.overflow <= 1, phone);
  if (found) {
    await button.click();
    const s = await state();
    check('on a phone, activating the finding still highlights the evidence', s.pressed === 'true' && s.versions.length >= 2, s);
  }
  await page.screenshot({ path: join(outDir, 'report-phone.png') });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
