import { z } from 'zod';

/**
 * The least an activity must be for the bot to look at it (Bot Framework Activity schema:
 * learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object).
 * Checked before the token, so that a body that is not an activity is a 400 and costs no key fetch.
 * The rest of the activity is read where it is used; unknown fields are Teams' own.
 */
export const ActivityEnvelope = z.object({
  type: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  conversation: z.object({ id: z.string().min(1) }),
  id: z.string().optional(),
});

export type ActivityEnvelope = z.output<typeof ActivityEnvelope>;
