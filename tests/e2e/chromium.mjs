// Launching Debian's Chromium for tests: never a downloaded browser (TOOLCHAIN.md).
import { chromium } from "playwright-core";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

// Quiet flags: without them Chromium floods the closed network (TOOLCHAIN.md). Root needs --no-sandbox.
export const QUIET_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/**
 * A persistent Chromium context with the unpacked extension at `extensionDir` loaded.
 * Returns the context, the extension id and a `close()` that also removes the profile.
 * @param {string} extensionDir
 */
export async function launchWithExtension(extensionDir) {
  const profile = await mkdtemp(path.join(tmpdir(), "kubeopen-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker", { timeout: 15_000 });
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A plain headless Chromium (no extension). */
export async function launchPlain() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: QUIET_ARGS });
}
