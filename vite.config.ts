import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import tailwindcss from '@tailwindcss/vite'
import adonisjs from '@adonisjs/vite/client'

export default defineConfig({
  plugins: [
    vue(),
    tailwindcss(),
    adonisjs({ entryPoints: ['resources/js/app.ts'], reload: ['resources/views/**/*.edge'] }),
  ],
  resolve: { alias: { '~/': `${import.meta.dirname}/resources/js/` } },
  // Vite 8 would also build an implicit SSR environment into the same folder; we only ship the client.
  builder: {
    async buildApp(builder) {
      await builder.build(builder.environments.client)
    },
  },
  // Bundled up front: discovered on first use they make Vite reload the page (mid-test, mid-shift).
  optimizeDeps: {
    include: [
      'vue',
      '@inertiajs/vue3',
      'vue-i18n',
      'lucide-vue-next',
      '@adonisjs/transmit-client',
      '@tanstack/vue-virtual',
      'vue3-emoji-picker',
      'echarts/core',
      'echarts/charts',
      'echarts/components',
      'echarts/renderers',
      'vue-echarts',
      'reka-ui',
    ],
  },
  // Per checkout, under tmp/: a copy of the project that shares node_modules must not re-optimise ours.
  cacheDir: 'tmp/vite',
  server: {
    watch: { ignored: ['**/storage/**', '**/tmp/**'] },
    // Tests run several app processes side by side; none needs hot reload, and they would fight for its port.
    hmr: process.env.NODE_ENV === 'test' ? false : undefined,
  },
})
