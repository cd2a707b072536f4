import { z } from 'zod';

/**
 * The shape of what Slack sends, as far as Bolt reads it before any listener runs
 * (@slack/bolt: helpers.js getTypeAndConversation, App.js's team, enterprise and user
 * lookups; the payload types in bolt-js src/types/). A signed body that breaks it, an
 * `event` that is a number, `actions` that is a string, would only make Bolt throw a
 * TypeError after the ack; it is refused with a 400 instead. Unknown keys stay: Slack
 * adds fields, and listeners read what they need.
 */
const object = z.record(z.string(), z.unknown());
const reference = z.looseObject({ id: z.string().optional() });

const Event = z.looseObject({
  type: z.string().optional(),
  channel: z.union([z.string(), object]).optional(),
  channel_id: z.string().optional(),
  item: object.optional(),
  user: z.union([z.string(), object]).optional(),
});

export const SlackEnvelope = z.looseObject({
  type: z.string().optional(),
  event: Event.optional(),
  authorizations: z.array(object).optional(),
  command: z.string().optional(),
  team: reference.nullish(),
  enterprise: reference.nullish(),
  user: z.union([z.string(), reference]).optional(),
  channel: reference.optional(),
  actions: z.array(object).optional(),
  view: object.optional(),
  message: object.optional(),
  container: object.optional(),
});

/** A slash command (a form, or JSON with `command`) must say who asked and where: Slack always sends both. */
export function envelopeProblem(body: Record<string, unknown>): string | undefined {
  const parsed = SlackEnvelope.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${issue.path.join('.') || 'body'}: ${issue.message}`;
  }
  if (body.command !== undefined && (typeof body.user_id !== 'string' || typeof body.channel_id !== 'string')) {
    return 'slash command without a user_id and channel_id';
  }
  return undefined;
}
