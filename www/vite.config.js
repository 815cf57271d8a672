import { defineConfig } from "vite";

// The npm package initialises its wasm with top-level await: build for ES2022.
export default defineConfig({
  base: "./",
  build: { target: "es2022" },
  optimizeDeps: { exclude: ["kubeopen"] },
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
});
