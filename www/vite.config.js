import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const page = (name) => fileURLToPath(new URL(name, import.meta.url));

// Two pages. `base: "./"` makes every asset URL relative, so the same build works at `/`, under
// `kubectl proxy --www-prefix=/ui/` and from the sandbox's `--www-dir`. The npm package
// initialises its wasm with top-level await: build for ES2022.
export default defineConfig({
  base: "./",
  build: {
    target: "es2022",
    rolldownOptions: { input: { playground: page("index.html"), dashboard: page("dashboard.html") } },
  },
  // Pre-bundling would move the package away from its wasm files (resolved from import.meta.url).
  optimizeDeps: { exclude: ["kubeopen", "kubeopen/cluster"] },
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
});
