// Regenerates the README pictures from the real builds, in headless Chromium:
//   node scripts/screenshots.mjs        (after `make build`)
// docs/popup.png (the extension's popup listing the demo cluster), docs/www.png (the playground),
// docs/dashboard.png (the dashboard connected to the demo sandbox, served beside its API at /ui/).
import path from "node:path";
import { launchPlain, launchWithExtension } from "../tests/e2e/chromium.mjs";
import { root, startSandbox } from "../tests/support/sandbox.mjs";

const docs = path.join(root, "docs");
const wwwDist = path.join(root, "www", "dist");

/** The popup with the demo cluster added (as tests/e2e/popup.test.mjs does), listing its services. */
async function popupShot(/** @type {string} */ server) {
  const ext = await launchWithExtension(path.join(root, "extension", "dist", "chrome"));
  try {
    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 400, height: 360 });
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const added = await popup.evaluate(
      (server) => chrome.runtime.sendMessage({ type: "kubeopen:addCluster", name: "demo", server, credentials: null, namespace: "demo" }),
      server,
    );
    if (!added?.ok) throw new Error(`adding the demo cluster failed: ${JSON.stringify(added)}`);
    await popup.reload();
    await popup.getByRole("option").first().waitFor();
    await popup.screenshot({ path: path.join(docs, "popup.png") });
  } finally {
    await ext.close();
  }
}

/** The playground with an address resolved, and the dashboard connected to the demo cluster. */
async function wwwShots(/** @type {string} */ server) {
  const browser = await launchPlain();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 860 }, colorScheme: "light" });
    await page.goto(`${server}/ui/`);
    await page.getByLabel("Address, segment or proxy URL").fill("grafana.monitoring.svc:3000/d/x?orgId=1");
    await page.locator('#address-result dd[data-field="query"]').waitFor();
    await page.screenshot({ path: path.join(docs, "www.png") });

    await page.goto(`${server}/ui/dashboard.html`);
    await page.locator('tr[data-service="demo/web"]').waitFor();
    await page.screenshot({ path: path.join(docs, "dashboard.png"), fullPage: true });
  } finally {
    await browser.close();
  }
}

const sandbox = await startSandbox({ args: ["--www-dir", wwwDist, "--www-prefix", "/ui/"] });
try {
  await popupShot(sandbox.url);
  await wwwShots(sandbox.url);
} finally {
  await sandbox.stop();
}
console.log("screenshots: docs/popup.png docs/www.png docs/dashboard.png");
