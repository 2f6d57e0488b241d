// The web client's build: static files for the node's HTTPS listener, which
// serves them under a strict Content-Security-Policy (default-src 'self', no
// inline script): no inline script or style, no data: URLs, nothing fetched
// from another origin.
import { defineConfig } from "vite";

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2022",
  },
});
