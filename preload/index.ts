/**
 * The preload: exposes the contract's typed client to the renderer through contextBridge, and
 * nothing else (no ipcRenderer, no Node). Sandboxed, so it is bundled to one CommonJS file.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CHANNEL, type ServerMessage } from '../main/common/rpc/protocol';
import { createClient } from '../main/common/rpc/client';

// Frames cross as JSON text, so that the main process relays them to the core's thread without parsing them.
const client = createClient({
  send: (msg) => ipcRenderer.send(IPC_CHANNEL, JSON.stringify(msg)),
  onMessage: (fn) => {
    const listener = (_e: unknown, frame: string | ServerMessage) => fn(typeof frame === 'string' ? (JSON.parse(frame) as ServerMessage) : frame);
    ipcRenderer.on(IPC_CHANNEL, listener);
    return () => ipcRenderer.removeListener(IPC_CHANNEL, listener);
  },
});

contextBridge.exposeInMainWorld('glyphlab', {
  call: client.call,
  on: client.on,
  /** Dropped files' paths (Electron no longer puts them on File objects). */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
