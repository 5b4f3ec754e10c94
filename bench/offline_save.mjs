// Saves a category for use without signal in a running chromium, as a volunteer would on the
// save page (/offline), for bench/lighthouse.py's "saved lesson opened offline" run.
// Usage: node offline_save.mjs <devtools port> <base url> <session cookie value> <category>
// The browser is left running (Lighthouse then connects to it with --disable-storage-reset).
import puppeteer from "puppeteer-core";

const [port, base, session, category] = process.argv.slice(2);
const DONE = "#offline-status";

const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
try {
  await browser.setCookie({
    name: "session",
    value: session,
    domain: new URL(base).hostname,
    path: "/",
    httpOnly: true,
    secure: false,
  });
  const page = await browser.newPage();
  await page.goto(`${base}/offline`, { waitUntil: "load" });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.select("select[name=n]", category);
  await page.click("input[value=category]");
  await page.waitForFunction(() => /\d/.test(document.querySelector("#offline-size")?.textContent || ""), {
    timeout: 30_000,
  });
  const done = await page.$eval("#offline-save", (form) => form.dataset.done);
  await page.click("#offline-save button");
  await page.waitForFunction(
    (selector, text) => {
      const status = document.querySelector(selector)?.textContent || "";
      if (status.trim() === text) return true;
      if (document.querySelector("#offline-save")?.dataset.failed === status.trim()) {
        throw new Error(`saving failed: ${status}`);
      }
      return false;
    },
    { timeout: 60_000 },
    DONE,
    done,
  );
  await page.close();
  console.log("saved");
} finally {
  await browser.disconnect();
}
