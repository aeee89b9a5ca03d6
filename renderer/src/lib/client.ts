/// <reference types="vite/client" />
/**
 * The renderer's one way to the core: the contract's typed client, over Electron's preload when the
 * app runs in Electron, or over the loopback bridge's WebSocket in browser mode.
 */
import { createClient, type GlyphClient } from '$common/rpc/client';
import type { ClientMessage, ServerMessage } from '$common/rpc/protocol';
import type { EventName, EventPayload, Input, Output, RequestName } from '$common/contract';

export type Transport = 'electron' | 'bridge';

interface PreloadApi {
  call<K extends RequestName>(method: K, params: Input<K>): Promise<Output<K>>;
  on<K extends EventName>(name: K, fn: (payload: EventPayload<K>) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    glyphlab?: PreloadApi;
  }
}

export interface Connection {
  transport: Transport;
  client: Pick<GlyphClient, 'call' | 'on'>;
  /** A dropped file's path on disk (Electron only). */
  pathForFile: ((file: File) => string) | null;
}

function bridgeToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('glyphlab.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem('glyphlab.token');
}

function bridgeUrl(token: string): string {
  // The Vite dev server's page names the bridge (?bridge=127.0.0.1:PORT). A built page connects only to the
  // server that served it: no URL can choose where the token goes.
  const explicit = import.meta.env.DEV ? new URLSearchParams(location.search).get('bridge') : null;
  const host = explicit ?? location.host;
  return `ws://${host}/rpc?token=${encodeURIComponent(token)}`;
}

export async function connect(): Promise<Connection> {
  if (window.glyphlab) {
    return { transport: 'electron', client: window.glyphlab, pathForFile: window.glyphlab.pathForFile };
  }
  const token = bridgeToken();
  if (!token) throw new Error('No access token: open the URL that `npm run web` printed (it ends with #token=...).');
  const ws = new WebSocket(bridgeUrl(token));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('Cannot reach the glyphlab core: is `npm run web` still running, and is the token current?')), { once: true });
  });
  const client = createClient({
    send: (msg: ClientMessage) => ws.send(JSON.stringify(msg)),
    onMessage: (fn: (msg: ServerMessage) => void) => {
      const listener = (e: MessageEvent) => fn(JSON.parse(String(e.data)) as ServerMessage);
      ws.addEventListener('message', listener);
      return () => ws.removeEventListener('message', listener);
    },
  });
  ws.addEventListener('close', () => client.close());
  return { transport: 'bridge', client, pathForFile: null };
}
