import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Svelte config: TypeScript in components via Vite's preprocessor. */
export default { preprocess: vitePreprocess() };
