import { mount } from 'svelte';
import { registerServiceWorker } from '$lib/offline/index.ts';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from index.html');
mount(App, { target });

// Precache for offline use and, on hosts that cannot send COOP/COEP, make the page cross-origin
// isolated (wasm threads) through the service worker; it does nothing in dev.
void registerServiceWorker();
