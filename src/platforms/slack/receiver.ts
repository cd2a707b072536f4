import type { App, Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AfterAck } from '../../http/after-ack.js';
import type { SlackDelivery, SlackIngressConfig } from './ingress.js';

export interface SlackReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** Where Bolt's processing of each acknowledged request waits its turn. */
  afterAck: AfterAck;
  /** Acknowledged requests allowed in flight before the edge turns new ones away. */
  capacity: number;
}

/**
 * Bolt's receiver when the bot's HTTP edge answers Slack (src/http/edge.ts).
 *
 * Bolt's own receivers answer when the listener calls ack(), so every ack waits
 * behind Bolt's middleware chain and the work of earlier requests on this event
 * loop. Here the edge thread has already verified and answered the request; Bolt
 * sees it afterwards, from the after-ack queue. The price: a listener cannot put a
 * body in its ack (a modal's validation errors, an options list). This app's
 * listeners ack with nothing, and one that tries is logged, so the day someone
 * adds a modal it shows up at once.
 */
export class EdgeReceiver implements Receiver {
  private bolt: App | undefined;
  private readonly log: Logger;
  private readonly inFlight: Int32Array;
  /** Handed to the edge: how it verifies and when it turns requests away. */
  readonly ingress: SlackIngressConfig;

  constructor(private readonly options: SlackReceiverOptions) {
    this.log = options.log.child({ component: 'slack-receiver' });
    const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.inFlight = new Int32Array(shared);
    this.ingress = { signingSecret: options.signingSecret, capacity: options.capacity, inFlight: shared };
  }

  init(app: App): void {
    this.bolt = app;
  }

  /** The listener is the bot's HTTP edge, started and stopped by main.ts. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** A request the edge verified and acknowledged: Bolt processes it in its turn. */
  deliver(delivery: SlackDelivery): void {
    this.options.afterAck.run(async () => {
      try {
        await this.dispatch(delivery);
      } finally {
        Atomics.sub(this.inFlight, 0, 1);
      }
    });
  }

  private async dispatch({ body, retryNum, retryReason }: SlackDelivery): Promise<void> {
    if (!this.bolt) throw new Error('EdgeReceiver used before Bolt called init()');
    await this.bolt.processEvent({
      body,
      ack: async (response?: unknown) => {
        if (response !== undefined) this.log.warn({ type: body.type }, 'a Slack listener acked with a body, but the request was already answered: it was dropped');
      },
      ...(retryNum !== undefined ? { retryNum } : {}),
      ...(retryReason !== undefined ? { retryReason } : {}),
    });
  }
}
