import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { Actor, CommandRequest, Conversation } from '../core/request.js';
import type { CommandHandler, CommandResult } from './command.js';

/** The bot itself, acting on its own: the catalog's policy must name platform `system` to let it. */
export const MAESTRO_BOT: Actor = { id: 'maestro-bot', name: 'maestro-bot', platform: 'system' };

/** A change the bot makes on its own (alert paging, verification resolving an incident). */
export interface AutomaticChange {
  /**
   * Derived from what the change is about (the incident, its episode): a second
   * request with the same key, from a repeated notification or another replica,
   * does nothing.
   */
  key: string;
  /** The command, exactly as a person would type it. */
  text: string;
  /** Where it is said: the incident's card and thread. */
  conversation: Conversation;
  threadId?: string;
}

/** How long a claimed change may take to reach the pipeline before another request may claim it. */
const CLAIM_SECONDS = 300;

export type AutomaticOutcome = { kind: 'duplicate' } | CommandResult;

export interface AutomaticChangesDeps {
  commands: Pick<CommandHandler, 'handle'>;
  redis: Redis;
  prefix: string;
  log: Logger;
  /** How long a key is remembered (default 30 days, as long as an incident). */
  rememberSeconds?: number;
}

/**
 * The pipeline's entry for automatic changes: each runs as a command typed by
 * maestro-bot in the incident's thread, so it gets the same parse, policy, audit,
 * job and idempotency as anyone's. What would be said to the requester alone is
 * said in the thread: no one reads maestro-bot's ephemeral messages. A protected
 * environment's confirmation is given upfront (pipeline/confirm.ts: the rule that
 * let a `system` actor make the change is the decision), so no card waits in the
 * thread for a press; a change it may not make is refused and audited as denied.
 */
export class AutomaticChanges {
  constructor(private readonly deps: AutomaticChangesDeps) {}

  async run(change: AutomaticChange, chat: ChatPort): Promise<AutomaticOutcome> {
    const key = `${this.deps.prefix}:automatic:${change.key}`;
    // Claimed for a few minutes first, remembered for long only once the change is in the
    // pipeline: a process that dies in between leaves a claim that lapses, so the next
    // notification asks again rather than never (PagerDuty's dedup key makes a second page the same page).
    const first = await this.deps.redis.set(key, new Date().toISOString(), 'EX', CLAIM_SECONDS, 'NX');
    if (first !== 'OK') {
      this.deps.log.info({ key: change.key }, 'automatic change already requested; not again');
      return { kind: 'duplicate' };
    }
    const request: CommandRequest = {
      kind: 'command',
      id: `auto-${createHash('sha256').update(change.key).digest('hex').slice(0, 24)}`,
      actor: MAESTRO_BOT,
      conversation: change.conversation,
      ...(change.threadId ? { threadId: change.threadId } : {}),
      text: change.text,
    };
    const thread = inThread(chat);
    try {
      const outcome = await this.deps.commands.handle(request, thread);
      await this.deps.redis.expire(key, this.deps.rememberSeconds ?? 30 * 24 * 3600);
      return outcome;
    } catch (error) {
      // Nothing was done: the caller's retry must be able to ask again.
      await this.deps.redis.del(key).catch(() => undefined);
      throw error;
    }
  }
}

function inThread(chat: ChatPort): ChatPort {
  return {
    platform: chat.platform,
    post: (conversation, message, options) => chat.post(conversation, message, options),
    update: (ref, message) => chat.update(ref, message),
    reply: (ref, message) => chat.reply(ref, message),
    ephemeral: async (conversation, _userId, message, options) => {
      await chat.post(conversation, message, options);
    },
  };
}

/** Whether a job queue has nothing waiting or running: when the jobs automatic changes enqueued are done (Incidents.settled). */
export async function jobsIdle(jobs: { queue: { getJobCounts(...types: ('waiting' | 'active' | 'delayed' | 'prioritized')[]): Promise<Record<string, number>> } }): Promise<boolean> {
  const counts = await jobs.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0);
}
