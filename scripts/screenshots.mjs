// Regenerates the README pictures from the real builds: node scripts/screenshots.mjs (after make build).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchPlain, launchWithExtension } from "../tests/e2e/chromium.mjs";
import { serveStatic } from "../tests/e2e/static-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const ext = await launchWithExtension(path.join(root, "extension", "dist", "chrome"));
const popup = await ext.context.newPage();
await popup.setViewportSize({ width: 360, height: 220 });
await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
await popup.getByLabel("Proxy segment").fill("https:grafana:3000");
await popup.locator('dd[data-field="name"]').waitFor();
await popup.screenshot({ path: path.join(root, "docs", "popup.png") });
await ext.close();

const server = await serveStatic(path.join(root, "www", "dist"));
const browser = await launchPlain();
const page = await browser.newPage({ viewport: { width: 900, height: 520 } });
await page.goto(server.url);
await page.locator('dd[data-field="name"]').waitFor();
await page.screenshot({ path: path.join(root, "docs", "www.png") });
await browser.close();
await server.close();
console.log("screenshots: docs/popup.png docs/www.png");
