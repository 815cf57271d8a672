// @ts-check
// Installs the package exactly as `npm install kubeopen-0.1.0.tgz` would: `npm pack` of the
// package folder (the .tgz written to PACK_DIR, default DIR), unpacked into
// DIR/node_modules/kubeopen. Returns that folder.
import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** @param {string} dir @param {string} [packDir] @returns {Promise<string>} */
export async function installPacked(dir, packDir = dir) {
  const installed = path.join(dir, "node_modules", "kubeopen");
  await mkdir(installed, { recursive: true });
  const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir, path.join(root, "crates/kubeopen-wasm/npm")], {
    encoding: "utf8",
  }).trim();
  execFileSync("tar", ["-xzf", path.join(packDir, tgz), "-C", installed, "--strip-components=1"]);
  return installed;
}
