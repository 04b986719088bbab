import { defineConfig, type Plugin } from "vite";

// The CSP <meta> in index.html is for the built app; Vite's dev server needs inline styles and a websocket,
// so the dev server drops it (the build keeps it; the server also sends the header).
const devWithoutCspMeta: Plugin = {
  name: "omnicase-dev-without-csp-meta",
  apply: "serve",
  transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, ""),
};

export default defineConfig({
  base: "/console/",
  plugins: [devWithoutCspMeta],
  // Preact's automatic JSX runtime through Vite's own transformer (Oxc): no Babel, no preset needed.
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    port: 5173,
    // `npm run dev` against a local stack: `OMNICASE_API=http://127.0.0.1:3100 npm run dev`
    proxy: Object.fromEntries(
      ["/auth", "/me", "/inbox", "/changes", "/search", "/cases", "/customers", "/queues", "/quality", "/reports"].map(
        (path) => [path, { target: process.env["OMNICASE_API"] ?? "http://127.0.0.1:3000", changeOrigin: false }],
      ),
    ),
  },
});
