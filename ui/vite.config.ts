import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// The UI ships inside the binary: relative asset paths, no CDN, nothing fetched at run time.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  base: "./",
  clearScreen: false,
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  // Unit and component tests (`*.test.ts` beside the code they test). Components run in jsdom
  // with Svelte's browser build; the Tauri IPC does not exist there, so a test that makes a
  // component call the core mocks `@tauri-apps/api/core`'s `invoke`.
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/lib/test/setup.ts"],
  },
});
