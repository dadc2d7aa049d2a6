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
  server: { watch: { ignored: ['**/storage/**', '**/tmp/**'] } },
})
