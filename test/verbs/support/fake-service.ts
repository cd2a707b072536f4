import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceEndpoints } from '../../../src/verification/ports.js';

/** How the fake answers one path: a status and raw body, or never (a hung service). */
export type FakeAnswer = { status: number; body: string; delayMs?: number } | 'hang';

export interface FakeService {
  url: string;
  /** Every request it received, as it crossed the wire. */
  received: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  answer(path: string, answer: FakeAnswer): void;
  /** The catalog's health and admin URLs pointed here, as the sandbox's are in a drill. */
  endpoints: ServiceEndpoints;
  close(): Promise<void>;
}

/**
 * A service that misbehaves on request: 500s, bodies that are not JSON, answers that never
 * come. Paths it was not told about answer 404. Real HTTP, so the verbs' client (axios,
 * its timeout and its parse) is what is exercised.
 */
export async function startFakeService(): Promise<FakeService> {
  const answers = new Map<string, FakeAnswer>();
  const received: FakeService['received'] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    received.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    const answer = answers.get(path) ?? { status: 404, body: '{"error":"not found"}' };
    if (answer === 'hang') return;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    answer: (path, answer) => void answers.set(path, answer),
    endpoints: { health: () => `${url}/public-health`, admin: () => url },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
