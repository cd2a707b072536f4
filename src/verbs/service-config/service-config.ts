import { z } from 'zod';
import { done } from '../../core/action-result.js';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import { redactText } from '../../core/redact.js';
import type { ConfigMapPort } from '../flag/flag.js';
import { CODE_BLOCK_LIMIT } from '../shared/code-block.js';
import { resolveTarget } from '../shared/target.js';

export type ServiceConfigPorts = { kubernetes: Pick<ConfigMapPort, 'readConfigMap'> };

export const ServiceConfigArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose ConfigMap to show').register(argMeta, { positional: true, kind: 'service' }),
});
export type ServiceConfigArgs = z.infer<typeof ServiceConfigArgs>;

export interface ConfigFacts {
  configMap: string;
  namespace: string;
  /** The catalog's flags and their values (`undefined`: not set in the ConfigMap). */
  flags: Record<string, string | undefined>;
  /** Keys whose value was hidden. */
  masked: string[];
  keys: number;
}

const MASK = '[redacted]';
/** One value per line: longer ones are cut, so one blob does not push the flags out of the message. */
const MAX_VALUE = 120;

/**
 * A value as it may be shown: hidden whole when its key sounds secret (the same key rule
 * that redacts log lines, asked of `key=x`), else with whatever the value rules find
 * (tokens, keys, passwords in URLs, the bot's own credentials) hidden in it.
 */
export function shownValue(key: string, value: string): { text: string; masked: boolean } {
  if (redactText(`${key}=x`) !== `${key}=x`) return { text: MASK, masked: true };
  const redacted = redactText(value);
  const oneLine = redacted.replace(/\s*\n\s*/g, ' ⏎ ');
  const text = oneLine.length > MAX_VALUE ? `${oneLine.slice(0, MAX_VALUE)}… (${value.length} chars)` : oneLine;
  return { text, masked: redacted !== value };
}

/** The first lines that fit one code block (keys in alphabetical order, so the cut is predictable). */
function headThatFits(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > CODE_BLOCK_LIMIT) break;
    kept.push(line);
    size += line.length + 1;
  }
  return kept;
}

export const serviceConfig: Action<ServiceConfigArgs, ServiceConfigPorts, unknown, ConfigFacts> = {
  name: 'config',
  summary: "Show the service's ConfigMap: its flags and their current values, secrets hidden (check before `flag`)",
  args: ServiceConfigArgs,
  risk: 'read',
  examples: ['config maestro-orchestrator', 'config maestro-orchestrator --env dev'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    // The ConfigMap `flag` patches: the one declaration, read the same way.
    const configMap = target.envSpec.configMap;
    if (!configMap) {
      throw new UserError(`${target.service} in ${target.env} has no configMap in the catalog, so there is no configuration to show`, 'no_configmap');
    }
    const namespace = target.ref.namespace;
    const data = await ctx.ports.kubernetes.readConfigMap(namespace, configMap);
    const flags = target.spec.flags;
    const masked: string[] = [];
    const show = (key: string, value: string) => {
      const shown = shownValue(key, value);
      if (shown.masked) masked.push(key);
      return shown.text;
    };
    const fields = flags.map((f) => ({ label: f, value: f in data ? show(f, data[f]!) : '(not set)' }));
    const others = Object.keys(data)
      .filter((k) => !flags.includes(k))
      .sort();
    const lines = headThatFits(others.map((k) => `${k}=${show(k, data[k]!)}`));
    const listing = lines.join('\n');
    const shownOthers = lines.length;
    const footer = [
      `ConfigMap ${configMap} in ${namespace}`,
      masked.length > 0 ? `${masked.length} value${masked.length === 1 ? '' : 's'} hidden as secret` : undefined,
      shownOthers < others.length ? `${others.length - shownOthers} more keys not shown: kubectl -n ${namespace} get configmap ${configMap} -o yaml` : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    const message: Message = {
      title: `Configuration of ${target.service} in ${target.env}`,
      severity: 'info',
      ...(flags.length > 0 ? { text: `Flags \`flag ${target.service} <FLAG> on|off\` can change:` } : { text: 'The catalog lists no flags for this service.' }),
      fields,
      ...(others.length > 0 ? { code: listing } : {}),
      footer,
    };
    return done(message, { configMap, namespace, flags: Object.fromEntries(flags.map((f) => [f, data[f]])), masked, keys: Object.keys(data).length });
  },
};
