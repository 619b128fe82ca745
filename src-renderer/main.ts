// Renderer entry: mounts the terminal and, in the browser build, the offline app-shell worker.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });

// Electron serves the app from app:// and needs no worker; a browser must be able to load the
// terminal in a dead zone, so the web build caches its shell.
if (!window.outrider && 'serviceWorker' in navigator && location.protocol.startsWith('http')) {
  void navigator.serviceWorker.register('./sw.js').catch(() => undefined);
}
