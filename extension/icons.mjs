// Draws the extension's icon (an SVG, below) and rasterises it with Debian's Chromium into
// src/icons/icon-{16,32,48,128}.png. The PNGs are committed; run this after changing the drawing:
//   node extension/icons.mjs
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchPlain } from "../tests/e2e/chromium.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = [16, 32, 48, 128];

// A blue rounded square; a white heptagon (a cluster) with an arrow leaving it (opening what runs
// inside). Strokes are thick enough to survive 16 px.
const heptagon = Array.from({ length: 7 }, (_, i) => {
  const a = -Math.PI / 2 + (i * 2 * Math.PI) / 7;
  return `${(60 + 36 * Math.cos(a)).toFixed(2)},${(66 + 36 * Math.sin(a)).toFixed(2)}`;
}).join(" ");
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128">
  <rect x="4" y="4" width="120" height="120" rx="26" fill="#326ce5"/>
  <polygon points="${heptagon}" fill="none" stroke="#fff" stroke-width="11" stroke-linejoin="round"/>
  <path d="M60 66 L104 22" stroke="#326ce5" stroke-width="22" stroke-linecap="round"/>
  <path d="M60 66 L102 24 M74 22 H104 V52" fill="none" stroke="#fff" stroke-width="11" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

const browser = await launchPlain();
try {
  const page = await browser.newPage();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${SVG}`);
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await writeFile(path.join(here, "src", "icons", `icon-${size}.png`), png);
  }
  console.log(`icons: wrote ${SIZES.map((s) => `icon-${s}.png`).join(", ")}`);
} finally {
  await browser.close();
}
