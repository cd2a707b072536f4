import { waitFor as waitUntil } from '../support/wait-for.js';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One WebSocket connection the app opened, with how it ended. */
export interface SocketConnection {
  id: number;
  /** The path and query it connected to: the URL apps.connections.open handed out. */
  path: string;
  openedAt: number;
  closedAt?: number;
  /** The close code the connection ended with (1000: the app closed it normally; 1006: dropped). */
  closeCode?: number;
}

/** One JSON message the app sent over a socket; from a Bolt app, an envelope ack `{ envelope_id, payload }`. */
export interface SocketMessage {
  connection: number;
  data: Record<string, unknown>;
  at: number;
}

/** What Slack wraps every request in on the socket. */
export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  /** Set on a re-delivery of an envelope that was not acked in time. */
  retry_attempt?: number;
  retry_reason?: string;
}

const APP_ID = 'A0MAESTRO';
const HOST = 'applink-fake-1';

/**
 * A fake Slack Socket Mode endpoint (wss://wss-primary.slack.com/link/?ticket=…) on a
 * local port. The fake Web API hands out `connectionUrl()` from apps.connections.open;
 * the app connects with its real Socket Mode client and gets `hello`. Tests then push
 * envelopes (slash commands, button presses) down the socket as Slack does and assert
 * on the acks that come back, which are recorded in `received`, and on the connections'
 * lifecycle in `connections`. Pings are answered with pongs (the `ws` default); a
 * `disconnect` message asks the app to reconnect, as Slack does before recycling a host.
 * Only URLs it handed out are accepted, each once, like Slack's tickets.
 */
export class FakeSocketMode {
  readonly connections: SocketConnection[] = [];
  readonly received: SocketMessage[] = [];
  private readonly sockets = new Map<number, WebSocket>();
  private readonly tickets = new Set<string>();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private origin = '';

  async start(): Promise<this> {
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('WebSocket only');
    });
    const wss = new WebSocketServer({
      server,
      verifyClient: ({ req }: { req: { url?: string } }) => {
        const ticket = new URL(req.url ?? '/', 'ws://fake').searchParams.get('ticket') ?? '';
        return this.tickets.delete(ticket);
      },
    });
    wss.on('connection', (socket, req) => this.accept(socket, req.url ?? '/'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.wss = wss;
    this.origin = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** What apps.connections.open answers with: a fresh single-use URL, as Slack's carries a new ticket each time. */
  connectionUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.origin}/link/?ticket=${ticket}&app_id=${APP_ID}`;
  }

  /** Connections still open. */
  open(): SocketConnection[] {
    return this.connections.filter((c) => c.closedAt === undefined);
  }

  /** Sends an envelope down the newest open connection, as Slack delivers a request; returns what was sent. */
  deliver(type: Envelope['type'], payload: Record<string, unknown>, extra: Partial<Omit<Envelope, 'type' | 'payload'>> = {}): Envelope {
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      // Slack lets a slash command's ack carry a reply; block_actions and events cannot.
      accepts_response_payload: type === 'slash_commands',
      ...extra,
    };
    this.send(envelope);
    return envelope;
  }

  /** Sends the same envelope again, as Slack re-delivers one it did not see acked in time. */
  redeliver(envelope: Envelope, attempt = 1, reason = 'timeout'): Envelope {
    const again = { ...envelope, retry_attempt: attempt, retry_reason: reason };
    this.send(again);
    return again;
  }

  /** Slack's request to reconnect, sent before it recycles the host that holds the connection. */
  askToReconnect(reason = 'refresh_requested'): void {
    this.send({ type: 'disconnect', reason, debug_info: { host: HOST } });
  }

  /** The acks the app sent for one envelope. */
  acksOf(envelopeId: string): SocketMessage[] {
    return this.received.filter((m) => m.data.envelope_id === envelopeId);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const seen = () => {
      const connections = this.connections.map((c) => `#${c.id} ${c.closedAt === undefined ? 'open' : `closed ${c.closeCode}`}`).join(', ');
      return `connections: ${connections || 'none'}; ${this.received.length} messages received`;
    };
    await waitUntil(predicate, { timeoutMs, what: 'a fake Socket Mode condition', seen });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets.values()) socket.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  private accept(socket: WebSocket, path: string): void {
    const connection: SocketConnection = { id: this.connections.length + 1, path, openedAt: Date.now() };
    this.connections.push(connection);
    this.sockets.set(connection.id, socket);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.received.push({ connection: connection.id, data: JSON.parse(String(data)) as Record<string, unknown>, at: Date.now() });
    });
    socket.on('close', (code) => {
      connection.closedAt = Date.now();
      connection.closeCode = code;
      this.sockets.delete(connection.id);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open().length,
        debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: APP_ID },
      }),
    );
  }

  private send(message: object): void {
    const newest = this.open().at(-1);
    const socket = newest && this.sockets.get(newest.id);
    if (!socket) throw new Error('fake Socket Mode: the app has no open connection to deliver to');
    socket.send(JSON.stringify(message));
  }
}
