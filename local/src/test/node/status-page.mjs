// Opens up's status page in headless Chromium and waits until it shows a counter.
// Usage: node status-page.mjs '<json>' with {chromium, url, counter, timeoutMs}. Prints one JSON
// line: {"title", "counterRow": [cells…] or null, "headers": [...], "problem"}; exits non-zero
// only when the browser could not run.
import puppeteer from 'puppeteer-core';

const input = JSON.parse(process.argv[2]);

const browser = await puppeteer.launch({
  executablePath: input.chromium,
  headless: true,
  // Root in CI needs --no-sandbox.
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  await page.goto(input.url, { waitUntil: 'load' });
  // The page fills its tables from status.json by itself (and again every 2 s).
  const selector = `#counters tr[data-name="${input.counter}"]`;
  let found = true;
  try {
    await page.waitForSelector(selector, { timeout: input.timeoutMs });
  } catch (e) {
    found = false;
  }
  const result = await page.evaluate((selector, found) => {
    const cells = (row) => Array.from(row.children).map((c) => c.textContent);
    const row = found ? document.querySelector(selector) : null;
    return {
      title: document.title,
      headers: cells(document.querySelector('#counters tr')),
      counterRow: row ? cells(row) : null,
      operations: Array.from(document.querySelectorAll('#operations tr')).map(cells),
      turn: Array.from(document.querySelectorAll('#turn tr')).map(cells),
      problem: document.getElementById('problem').textContent,
    };
  }, selector, found);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
