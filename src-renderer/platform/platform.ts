// The renderer's only door to the host: Electron's preload bridge when present, the web one otherwise.
import type { OutriderBridge } from '../../src-shared/ipc.ts';
import { webPlatform } from './web-platform.ts';

declare global {
  interface Window {
    readonly outrider?: OutriderBridge;
  }
}

export type Platform = OutriderBridge;

export function currentPlatform(): Platform {
  return window.outrider ?? webPlatform;
}
