/**
 * The only bridge between the sandboxed renderer and the main process: `window.dx`.
 * It forwards contract operations by name (refusing names not in the contract) and event subscriptions.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, OP_NAMES, type DxBridge, type EventName } from '#shared/contract/index';

const ops = new Set<string>(OP_NAMES);
const events = new Set<string>(EVENT_NAMES);

const bridge: DxBridge = {
  invoke(name: string, input: unknown) {
    if (!ops.has(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_operation', messageKey: 'errors.unknownOperation', params: { name } } });
    }
    return ipcRenderer.invoke('dx:invoke', name, input) as Promise<unknown>;
  },
  on(event: EventName, listener: (payload: unknown) => void) {
    if (!events.has(event)) return () => undefined;
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('dx:event', wrapped);
    return () => ipcRenderer.removeListener('dx:event', wrapped);
  },
};

contextBridge.exposeInMainWorld('dx', bridge);
