import * as net from 'node:net';

/**
 * Many `ovs-appctl` commands over one connection to a daemon's unixctl socket, without a process
 * per call: the socket speaks JSON-RPC 1.0 (`{"method":"ofproto/trace","params":[...],"id":N}`,
 * answers `{"id":N,"result":"...","error":null}`), the same protocol ovs-appctl uses. Requests
 * are pipelined in windows; answers come back in order. A command error is returned as
 * `{ error }` for that request, never thrown; a broken socket rejects the whole batch.
 *
 *   const out = await unixctlBatch(`${runDir}/ovs-vswitchd.ctl`, [{ method: 'ofproto/trace', params: ['br-int', 'in_port=1,arp'] }]);
 */
export interface UnixctlRequest {
  readonly method: string;
  readonly params: readonly string[];
}

export type UnixctlAnswer = { readonly result: string } | { readonly error: string };

/** Splits a stream of concatenated JSON objects; returns the complete ones and the rest. */
function splitJsonObjects(buf: string): { objects: string[]; rest: string } {
  const objects: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        objects.push(buf.slice(start, i + 1));
        start = -1;
      }
    }
  }
  const consumed = start >= 0 ? start : depth === 0 ? buf.length : 0;
  return { objects, rest: buf.slice(consumed) };
}

export function unixctlBatch(socketPath: string, requests: readonly UnixctlRequest[], window = 32): Promise<UnixctlAnswer[]> {
  return new Promise((resolve, reject) => {
    const answers: UnixctlAnswer[] = new Array<UnixctlAnswer>(requests.length);
    let received = 0;
    let sent = 0;
    let buf = '';
    const sock = net.createConnection(socketPath);
    const pump = (): void => {
      while (sent < requests.length && sent - received < window) {
        const r = requests[sent]!;
        sock.write(JSON.stringify({ method: r.method, params: r.params, id: sent }));
        sent++;
      }
    };
    sock.setEncoding('utf8');
    sock.on('connect', pump);
    sock.on('error', reject);
    sock.on('data', (chunk: string) => {
      buf += chunk;
      const { objects, rest } = splitJsonObjects(buf);
      buf = rest;
      for (const text of objects) {
        const msg = JSON.parse(text) as { id: number; result?: string | null; error?: string | null };
        answers[msg.id] = msg.error !== null && msg.error !== undefined ? { error: msg.error } : { result: msg.result ?? '' };
        received++;
      }
      if (received === requests.length) {
        sock.end();
        resolve(answers);
        return;
      }
      pump();
    });
    if (requests.length === 0) {
      sock.end();
      resolve([]);
    }
  });
}
