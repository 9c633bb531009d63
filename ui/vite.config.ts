import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Tauri serves the built files itself; the dev server only backs `tauri dev`.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, fs: { allow: ['..'] } },
  build: {
    target: 'es2021',
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'happy-dom',
  },
})
