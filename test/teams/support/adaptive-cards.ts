import { createRequire } from 'node:module';

interface SerializationContext {
  eventCount: number;
  getEventAt(index: number): { message: string };
}
interface AdaptiveCardsModule {
  SerializationContext: new (targetVersion?: unknown) => SerializationContext;
  Versions: { v1_5: unknown };
  AdaptiveCard: new () => {
    parse(json: unknown, context: SerializationContext): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
}

// Its lib/ is ESM for bundlers that plain Node cannot load; the UMD bundle loads fine.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/**
 * Every parse and validation event the adaptivecards SDK reports for `card`: unknown types,
 * bad values, duplicate ids — and, since it parses as a 1.5 host would (Teams supports up
 * to 1.5), anything newer than 1.5.
 */
export function adaptiveCardProblems(card: unknown): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  return [...problems, ...parsed.validateProperties().validationEvents.map((e) => e.message)];
}
