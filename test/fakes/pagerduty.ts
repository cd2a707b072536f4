import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpFake } from './http-fake.js';

export interface PagerDutyCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}

/** A self-signed certificate for 127.0.0.1, made with openssl at test time. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pd-fake-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

/**
 * A fake PagerDuty: the Events API v2 over HTTPS (pdjs only speaks https to it)
 * and the REST API v2 over plain HTTP. Triggered events open incidents the REST
 * side can find by incident_key; every call is recorded as it crossed the wire.
 */
export class FakePagerDuty extends HttpFake {
  readonly events: PagerDutyCall[] = [];
  readonly rest: PagerDutyCall[] = [];
  /** incident_key → incident id, for events that opened one. */
  readonly incidents = new Map<string, { id: string; status: string; escalationLevel: number }>();
  /** Levels of the fake's one escalation policy (the runbooks' matrix has three). */
  policyLevels = 3;
  private eventsServer: Server | undefined;
  private ca = '';
  eventsHost = '';
  eventsAgent: Agent | undefined;
  failRestWith: number | undefined;
  /** Never reset: an incident id is unique for the fake's life, as in PagerDuty. */
  private opened = 0;

  override async start(): Promise<this> {
    await super.start();
    const { key, cert } = selfSigned();
    this.ca = cert;
    this.eventsServer = createServer({ key, cert }, (req, res) => {
      void this.handleEvent(req, res);
    });
    this.eventsServer.listen(0, '127.0.0.1');
    await once(this.eventsServer, 'listening');
    this.eventsHost = `127.0.0.1:${(this.eventsServer.address() as AddressInfo).port}`;
    this.eventsAgent = new Agent({ ca: this.ca, keepAlive: false });
    return this;
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.eventsAgent?.destroy();
    if (this.eventsServer) {
      this.eventsServer.closeAllConnections();
      await new Promise<void>((resolve) => this.eventsServer!.close(() => resolve()));
    }
  }

  reset(): void {
    this.events.length = 0;
    this.rest.length = 0;
    this.incidents.clear();
    this.failRestWith = undefined;
  }

  restCalls(method: string, pathPattern: RegExp): PagerDutyCall[] {
    return this.rest.filter((c) => c.method === method && pathPattern.test(c.path));
  }

  private async handleEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    this.events.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: Date.now() });
    const dedupKey = String(body.dedup_key ?? '');
    if (body.event_action === 'trigger' && !this.incidents.has(dedupKey)) {
      this.opened += 1;
      this.incidents.set(dedupKey, { id: `PINC${this.opened}`, status: 'triggered', escalationLevel: 1 });
    }
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: dedupKey }));
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    this.rest.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, headers: req.headers, body, at: Date.now() });
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    if (req.headers.authorization !== 'Token token=pd-test-token') return send(401, { error: { message: 'Unauthorized' } });
    if (this.failRestWith) return send(this.failRestWith, { error: { message: 'fake failure' } });
    if (req.method === 'GET' && url.pathname === '/incidents') {
      const found = this.incidents.get(url.searchParams.get('incident_key') ?? '');
      return send(200, { incidents: found ? [{ id: found.id, status: found.status, html_url: `https://example.pagerduty.com/incidents/${found.id}` }] : [] });
    }
    const status = /^\/incidents\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PUT' && status) {
      if (!req.headers.from) return send(400, { error: { message: 'From header required' } });
      const incident = (body.incident ?? {}) as { status?: string; escalation_level?: unknown };
      const known = [...this.incidents.values()].find((i) => i.id === status[1]);
      if (incident.escalation_level !== undefined) {
        // PagerDuty answers 400 for a level its escalation policy does not have.
        const level = incident.escalation_level;
        if (!known) return send(404, { error: { message: 'Not Found' } });
        if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > this.policyLevels) {
          return send(400, { error: { message: 'Invalid Input Provided', errors: ['Escalation level is invalid'] } });
        }
        known.escalationLevel = level;
        return send(200, { incident: { id: known.id, status: known.status, escalation_level: level } });
      }
      return send(200, { incident: { id: status[1], status: incident.status } });
    }
    const notes = /^\/incidents\/([^/]+)\/notes$/.exec(url.pathname);
    if (req.method === 'POST' && notes) {
      if (!req.headers.from) return send(400, { error: { message: 'From header required' } });
      return send(201, { note: { id: 'PNOTE1', content: (body.note as { content?: string })?.content } });
    }
    send(404, { error: { message: 'not found' } });
  }
}
