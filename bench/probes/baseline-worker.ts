// The baseline's service worker: Workbox's Queue as its documentation shows it, queueing a POST whose
// fetch fails and replaying on the Background Sync 'sync' event (Workbox's own trigger).
import { Queue } from 'workbox-background-sync';

interface WaitingEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerFetchEvent extends WaitingEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: WaitingEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: WorkerFetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
}

const worker = globalThis as unknown as WorkerScope;
const queue = new Queue('outrider-bench-link-back');

worker.addEventListener('install', () => void worker.skipWaiting());
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));
worker.addEventListener('fetch', (event) => {
  if (event.request.method !== 'POST') return;
  const sendOrQueue = async (): Promise<Response> => {
    try {
      return await fetch(event.request.clone());
    } catch {
      await queue.pushRequest({ request: event.request });
      return Response.error();
    }
  };
  event.respondWith(sendOrQueue());
});
