import { createHash } from 'node:crypto';
import type { Severity } from '../config/catalog-schema.js';
import type { MessageRef } from '../core/chat-port.js';
import type { ActionStyle } from '../core/message.js';
import type { ActorPlatform, Platform } from '../core/request.js';

/** One alert of a group, as Alertmanager last described it. */
export interface StoredAlert {
  fingerprint: string;
  alertname: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

export type ButtonKind = 'action' | 'ack' | 'resolve';

export interface IncidentButton {
  /** Opaque id carried by the button; resolves to this incident and kind in Redis. */
  value: string;
  kind: ButtonKind;
  label: string;
  style: ActionStyle;
  /** For `action`: the command template from the catalog, `{service}`/`{env}` unfilled. */
  command?: string;
}

export interface PagerDutyLink {
  dedupKey: string;
  /** The env var holding the routing key, as the catalog names it. */
  routingKeyEnv?: string;
  incidentId?: string;
  htmlUrl?: string;
  /** What the bot last told the Events API. */
  state: 'none' | 'triggered' | 'resolved';
  /** How many times alert paging has triggered; with the incident id, the idempotency key of the next page job. */
  pages?: number;
}

export interface Acknowledgement {
  by: string;
  /** Where it was done: a chat platform, `pagerduty`, or `system` (the bot on its own). */
  via: ActorPlatform | 'pagerduty';
  at: string;
}

/** One incident per Alertmanager group. */
export interface Incident {
  id: string;
  /** The short id on the card's footer, for `ack <n>` / `resolve <n>` typed outside its thread; absent on incidents older than it. */
  number?: number;
  groupKey: string;
  alertname: string;
  /** The catalog service, when known from the catalog or the alerts' labels. */
  service?: string;
  env: string;
  severity: Severity;
  /** True when the catalog knows the alert; otherwise the card offers the generic actions. */
  known: boolean;
  status: 'firing' | 'resolved';
  firing: number;
  resolved: number;
  startsAt: string;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  createdAt: string;
  updatedAt: string;
  buttons: IncidentButton[];
  pagerduty: PagerDutyLink;
  acknowledged?: Acknowledgement;
  /** Resolved by a person (chat or PagerDuty) while alerts may still fire. */
  resolvedBy?: Acknowledgement;
  assignedTo?: string[];
  /** Bumped by every change; the card syncer renders what it read. */
  rev: number;
}

/** A thread reply owed to every card of the incident; each card tracks how far it got. */
export interface IncidentNote {
  seq: number;
  text: string;
}

/** Where one card of the incident lives, and what it was last shown. */
export interface CardState {
  platform: Platform;
  channel: string;
  ref?: MessageRef;
  /** Hash of the rendered card last sent, so a flush with nothing new sends nothing. */
  rendered?: string;
  /** The last note replied in this card's thread. */
  noteSeq: number;
}

export function incidentIdFor(groupKey: string): string {
  return `i${createHash('sha256').update(groupKey).digest('hex').slice(0, 20)}`;
}

/** PagerDuty's dedup key for a group: stable, short, and no label values leaked into it. */
export function dedupKeyFor(groupKey: string): string {
  return `maestro-alert-${createHash('sha256').update(groupKey).digest('hex').slice(0, 32)}`;
}

const RANK: Record<Severity, number> = { P0: 0, P1: 1, P2: 2, P3: 3, P4: 4 };

/** The more urgent of two severities (P0 beats P1). */
export function worse(a: Severity, b: Severity): Severity {
  return RANK[a] <= RANK[b] ? a : b;
}

export function isWorse(a: Severity, than: Severity): boolean {
  return RANK[a] < RANK[than];
}
