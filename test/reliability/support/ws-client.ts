import WebSocket from 'ws';

export type Res = { t: string; id: number; ok: boolean; error?: { type: string; message: string } };

/** Resolves with the first `n` replies ('res' messages) a connection receives. */
export function collect(ws: WebSocket, n: number): Promise<Res[]> {
  return new Promise((resolve) => {
    const got: Res[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Res;
      if (m.t === 'res') got.push(m);
      if (got.length === n) resolve(got);
    });
  });
}
