// Builds extension/dist/chrome and extension/dist/firefox from one source: manifest.base.json plus
// the per-browser differences below (the only place they live), the files in src/, and the npm
// package's wasm build. Usage: node extension/build.mjs
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { minifySync } from "rolldown/utils";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, "..", "crates", "kubeopen-wasm", "npm");

/** Per-browser manifest keys. Everything else is shared. */
const BROWSERS = {
  chrome: {
    background: { service_worker: "background.js", type: "module" },
    minimum_chrome_version: "120",
  },
  firefox: {
    // Firefox MV3 runs the background as an event page, not a service worker.
    background: { scripts: ["background.js"], type: "module" },
    // Only Firefox can rewrite responses as they stream (bg/firefox-filter.js).
    extraPermissions: ["webRequestBlocking", "webRequestFilterResponse"],
    browser_specific_settings: {
      gecko: {
        id: "kubeopen@kubeopen.dev",
        strict_min_version: "142.0",
        data_collection_permissions: { required: ["none"] },
      },
    },
  },
};

// Extension scripts import the npm package by name (so they type-check against its .d.ts); the
// browser has no import maps for extensions, so the build points that one specifier at the copy,
// relative to each script's folder.
const PACKAGE_SPECIFIER = /from "kubeopen\/manual"/g;

/**
 * Copies src/ to `out` for `browser`, resolving the package specifier in every script. A module
 * that must differ per browser has a variant named `NAME.BROWSER.js` beside `NAME.js`: that
 * browser's build gets the variant as `NAME.js`, every other build drops it (e.g.
 * bg/tunnel-deliver.firefox.js: Firefox writes tunnelled pages with filterResponseData, which
 * Chromium lacks). @param {string} out @param {string} browser
 */
async function copySources(out, browser) {
  await cp(path.join(here, "src"), out, { recursive: true });
  for (const entry of await readdir(out, { recursive: true })) {
    const variant = /^(.*)\.([a-z]+)\.js$/.exec(entry);
    if (!variant || !(variant[2] in BROWSERS)) continue;
    if (variant[2] === browser) await rename(path.join(out, entry), path.join(out, `${variant[1]}.js`));
    else await rm(path.join(out, entry));
  }
  for (const entry of await readdir(out, { recursive: true })) {
    if (!entry.endsWith(".js") || entry.startsWith("vendor")) continue;
    const file = path.join(out, entry);
    let vendored = path.relative(path.dirname(file), path.join(out, "vendor", "kubeopen", "dist", "manual.js"));
    if (!vendored.startsWith(".")) vendored = `./${vendored}`;
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(PACKAGE_SPECIFIER, `from "${vendored.split(path.sep).join("/")}"`));
  }
}

/**
 * The scripts that run inside web pages, minified. They are injected into every document of a
 * bound tab, the page-world one before the page's own scripts, so what the browser reads of them is
 * load time (tests/bench/extension.bench.mjs). The page-world
 * script's two sources become one file: one injection, not two. Everything else ships as written.
 * @param {string} out
 */
async function minifyPageScripts(out) {
  const content = path.join(out, "content");
  const source = async (/** @type {string} */ f) => readFile(path.join(content, f), "utf8");
  const minified = (/** @type {string} */ name, /** @type {string} */ code) => {
    const result = minifySync(name, code, { compress: true, mangle: true });
    if (result.errors.length > 0) throw new Error(`extension: minifying ${name}: ${result.errors.map((e) => e.message).join("; ")}`);
    return result.code;
  };
  await writeFile(path.join(content, "page.js"), minified("page.js", `${await source("page-rewrite.js")}\n${await source("page.js")}`));
  await rm(path.join(content, "page-rewrite.js"));
  await writeFile(path.join(content, "isolated.js"), minified("isolated.js", await source("isolated.js")));
}

const base = JSON.parse(await readFile(path.join(here, "manifest.base.json"), "utf8"));

for (const [browser, extra] of Object.entries(BROWSERS)) {
  // KUBEOPEN_EXTENSION_OUT: build elsewhere (engineers testing side by side share extension/dist).
  const out = path.join(process.env.KUBEOPEN_EXTENSION_OUT ?? path.join(here, "dist"), browser);
  await rm(out, { recursive: true, force: true });
  await mkdir(path.join(out, "vendor", "kubeopen", "dist"), { recursive: true });
  await copySources(out, browser);
  await minifyPageScripts(out);
  // `kubeopen/manual` as the package builds it (crates/kubeopen-wasm/npm/build.mjs): one
  // self-contained file and the wasm beside it.
  for (const f of ["manual.js", "kubeopen_bg.wasm", "kubeopen_cluster_bg.wasm"]) {
    await cp(path.join(pkg, "dist", f), path.join(out, "vendor", "kubeopen", "dist", f));
  }
  // `extraPermissions` add to the shared permissions instead of replacing them.
  const { extraPermissions = [], ...keys } = /** @type {Record<string, any>} */ (extra);
  const manifest = { ...base, ...keys };
  if (extraPermissions.length > 0) manifest.permissions = [...(base.permissions ?? []), ...extraPermissions];
  await writeFile(path.join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`extension: built ${path.relative(process.cwd(), out)}`);
}
