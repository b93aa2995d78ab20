import { createServer, request, Server } from 'node:http';
import type { Socket } from 'node:net';

export type HttpSwitchMode = 'forward' | 'throttle' | 'refuse';

/**
 * An HTTP proxy in front of a real server: forwards, or answers every request 429 as a throttled OpenSearch does
 * (es_rejected_execution_exception), or cuts every connection; to keep a real store away, or busy, for a while.
 */
export async function startHttpSwitch(targetPort: number) {
  let mode: HttpSwitchMode = 'forward';
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming, answer) => {
    if (mode === 'refuse') {
      incoming.socket.destroy();
      return;
    }
    if (mode === 'throttle') {
      const body = JSON.stringify({
        error: { type: 'es_rejected_execution_exception', reason: 'rejected execution: write queue is full' },
        status: 429,
      });
      answer.writeHead(429, { 'content-type': 'application/json' }).end(body);
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: targetPort,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent: false,
      },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    upstream.on('error', () => answer.destroy());
    incoming.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    set(next: HttpSwitchMode) {
      mode = next;
      if (next === 'refuse') for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
