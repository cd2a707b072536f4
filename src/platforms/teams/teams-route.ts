import type { CloudAdapter } from '@microsoft/agents-hosting';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { errorRef } from '../../core/errors.js';
import type { RefusalLog } from '../shared/refusal-log.js';
import { ActivityEnvelope } from './activity-shape.js';
import { type ChannelIdentity, TeamsAuthenticator } from './authentication.js';
import type { TeamsBot } from './bot.js';
import { authConfiguration } from './auth-settings.js';
import type { TeamsConfig } from './config.js';

/**
 * POST /api/messages. A refusal says only its status's name (400 not an activity, 401
 * unauthenticated, 413 too large): the reason goes to the log, once per request and at most
 * a few per minute under a flood, never to a caller who may be probing.
 */
export class TeamsRoute {
  private readonly authenticator: TeamsAuthenticator | undefined;

  constructor(
    private readonly adapter: CloudAdapter,
    config: TeamsConfig,
    private readonly bot: TeamsBot,
    private readonly refusals: RefusalLog,
    private readonly log: Logger,
  ) {
    this.authenticator = config.unauthenticated ? undefined : new TeamsAuthenticator(authConfiguration(config));
  }

  /** body-parser's refusals (malformed JSON, too large, wrong encoding), answered without its message. */
  refuseBody(error: Error & { status?: number }, res: Response, next: NextFunction): void {
    const status = error.status === 413 ? 413 : error.status && error.status >= 400 && error.status < 500 ? 400 : undefined;
    if (status === undefined) {
      next(error);
      return;
    }
    this.refuse(res, status, status === 413 ? 'body too large' : `malformed body: ${error.message}`);
  }

  async handle(req: Request, res: Response): Promise<void> {
    const envelope = ActivityEnvelope.safeParse(req.body);
    if (!envelope.success) {
      this.refuse(res, 400, `not an activity: ${envelope.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
      return;
    }
    let identity: ChannelIdentity = {};
    if (this.authenticator) {
      const auth = await this.authenticator.authenticate(req.headers, envelope.data.serviceUrl);
      if (!auth.ok) {
        this.refuse(res, 401, auth.reason);
        return;
      }
      identity = auth.identity;
    }
    // The CloudAdapter reads the verified caller from request.user, as the SDK's own middleware leaves it.
    (req as Request & { user?: ChannelIdentity }).user = identity;
    try {
      await this.adapter.process(req as never, res as never, (context) => this.bot.run(context));
    } catch (error) {
      const ref = errorRef();
      this.log.error({ err: error, ref, activityType: envelope.data.type }, 'Teams activity failed');
      if (!res.headersSent) res.status(500).json({ error: 'internal error', ref });
    }
  }

  private refuse(res: Response, status: 400 | 401 | 413, reason: string): void {
    this.refusals.refused({ status, reason }, 'refused a Teams request');
    const error = status === 400 ? 'bad request' : status === 401 ? 'unauthorized' : 'payload too large';
    res.status(status).json({ error });
  }
}
