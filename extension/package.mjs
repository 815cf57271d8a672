// Packs the built extension for the stores: extension/dist/kubeopen-chrome.zip (Chrome Web Store)
// and extension/dist/kubeopen-firefox.zip (addons.mozilla.org), manifest.json at the root of each.
// Run after build.mjs:  node extension/package.mjs
// A zip is small enough to write here (deflate from node:zlib) rather than depend on a zip tool
// the machine may not have. The output is reproducible: sorted entries, a fixed timestamp.
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync } from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (2026 - 1980) << 9 | 1 << 5 | 1; // 2026-01-01: any fixed date keeps builds identical
// Chromium writes _metadata/ into an unpacked extension it has loaded; it is not ours to ship.
const SKIP = /^_metadata(\/|$)/;

/** @param {string} dir @returns {Promise<string[]>} files under dir, "/"-separated, sorted */
async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join("/"))
    .filter((f) => !SKIP.test(f))
    .sort();
}

/**
 * A zip archive (PKWARE APPNOTE 6.3: local headers, data, central directory, end record).
 * @param {{ name: string, data: Buffer }[]} files
 */
function zip(files) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of files) {
    const packed = deflateRawSync(data, { level: 9 });
    const stored = packed.length >= data.length; // tiny files: storing is smaller
    const body = stored ? data : packed;
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed: 2.0
    common.writeUInt16LE(0x0800, 2); // flags: UTF-8 names
    common.writeUInt16LE(stored ? 0 : 8, 4); // method: store or deflate
    common.writeUInt16LE(DOS_TIME, 6);
    common.writeUInt16LE(DOS_DATE, 8);
    common.writeUInt32LE(crc, 10);
    common.writeUInt32LE(body.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(nameBytes.length, 22);
    common.writeUInt16LE(0, 24); // no extra field
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), common, nameBytes]);
    parts.push(local, body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    common.copy(entry, 6);
    // comment length, disk, internal attributes stay 0; external: a regular file, rw-r--r--
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += local.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

for (const browser of ["chrome", "firefox"]) {
  const dir = path.join(here, "dist", browser);
  const names = await filesUnder(dir);
  if (!names.includes("manifest.json")) throw new Error(`${dir} has no manifest.json: run node extension/build.mjs first`);
  const files = await Promise.all(names.map(async (name) => ({ name, data: await readFile(path.join(dir, name)) })));
  const out = path.join(here, "dist", `kubeopen-${browser}.zip`);
  const archive = zip(files);
  await writeFile(out, archive);
  console.log(`extension: packed ${path.relative(process.cwd(), out)} (${files.length} files, ${(archive.length / 1024).toFixed(0)} KB)`);
}
