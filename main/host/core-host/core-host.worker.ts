/**
 * The core host's thread: opens the core (recovery mode on a damaged database) and serves the relay's
 * clients on it, one HostConnection each, so that no request or JSON parse runs on the window's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../common/errors';
import { openCoreOrRecovery } from '../../core';
import { drainNativeCalls } from '../../core/native-calls';
import { type HostConnection, serveCore } from './connection';
import type { FromHost, HostWorkerData, ToHost } from './protocol';

const port = parentPort!;
const post = (m: FromHost) => port.postMessage(m);
const data = workerData as HostWorkerData;

let opened: ReturnType<typeof openCoreOrRecovery> | null = null;
try {
  opened = openCoreOrRecovery(data.core);
} catch (e) {
  post({ k: 'failed', error: serializeError(e) });
}

if (opened) {
  const { core, damaged } = opened;
  const conns = new Map<number, HostConnection>();
  port.on('message', (m: ToHost) => {
    switch (m.k) {
      case 'open':
        conns.set(m.conn, serveCore(core, (frame) => post({ k: 'out', conn: m.conn, frame }), m.opts));
        break;
      case 'frame': {
        const c = conns.get(m.conn);
        const handled = !c ? Promise.resolve() : typeof m.frame === 'string' ? c.onText(m.frame) : c.onMessage(m.frame);
        void handled.finally(() => post({ k: 'done', seq: m.seq }));
        break;
      }
      case 'close':
        conns.get(m.conn)?.close();
        conns.delete(m.conn);
        break;
      case 'shutdown':
        for (const c of conns.values()) c.close();
        conns.clear();
        // The thread may end only once no native call is in flight (see core/native-calls.ts): the relay terminates it after 'closed'.
        void core
          .close()
          .then(() => drainNativeCalls())
          .finally(() => {
            post({ k: 'closed' });
            port.close();
          });
        break;
      case 'crash':
        void drainNativeCalls('hold').then(() =>
          setImmediate(() => {
            throw new Error('crash requested');
          }),
        );
        break;
    }
  });
  post({ k: 'ready', dbPath: core.dbPath, damaged });
}
