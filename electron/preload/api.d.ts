import type { DxBridge } from '../../shared/contract/index.ts';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the e2e harness's init script. */
    dx: DxBridge;
  }
}

export {};
