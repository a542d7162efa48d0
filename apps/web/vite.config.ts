import { defaultClientConditions, defineConfig } from 'vite';

// One bundle for the three apps (server, Alertmanager, Pushgateway): the page that serves
// index.html names the app in a <meta> tag and a <base href>, so asset URLs are relative ('./').
// JSX goes through esbuild (no React plugin: no fast refresh is needed for a production bundle).
// Workspace packages resolve to their TypeScript sources (the 'source' condition), as in tests.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: false,
    rollupOptions: {
      // React Router marks its modules "use client" for server components; meaningless in a browser bundle.
      onwarn: (warning, warn) => warning.code !== 'MODULE_LEVEL_DIRECTIVE' && warn(warning),
    },
  },
  server: {
    proxy: Object.fromEntries(['/api', '/-/', '/metrics'].map((p) => [p, process.env['PYROMETER_UI_BACKEND'] ?? 'http://127.0.0.1:9090'])),
  },
});
