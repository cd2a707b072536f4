import type { Logger } from 'pino';
import { AutoscalerController } from './autoscaler.js';
import { DeploymentController } from './deployment.js';
import { Terminations } from './pod-deletion.js';
import { PodFaults } from './pod-faults.js';
import type { EventRecorder } from './events.js';
import { DEPLOYMENTS } from './resources.js';
import { type PodWorld, ReplicaSetController } from './replicaset.js';
import type { Store } from './store.js';
import type { Deployment } from './types.js';

/**
 * Runs the deployment and ReplicaSet controllers and the kubelet on a timer.
 * One tick is the sandbox's unit of time: pods become ready a tick after they
 * are created, and a second of progressDeadlineSeconds lasts one tick.
 */
export class Controller {
  private timer: NodeJS.Timeout | undefined;
  private readonly badImages = new Set<string>();
  private readonly deployments: DeploymentController;
  private readonly replicaSets: ReplicaSetController;
  private readonly autoscalers: AutoscalerController;
  /** Pods deleted gracefully, and when their kubelet lets them go (a second of grace lasts a tick). */
  readonly terminations: Terminations;
  readonly faults: PodFaults;

  constructor(
    private readonly store: Store,
    events: EventRecorder,
    private readonly intervalMs: number,
    private readonly log?: Logger,
  ) {
    this.deployments = new DeploymentController(store, events, intervalMs);
    this.terminations = new Terminations(intervalMs);
    this.faults = new PodFaults(store, events);
    this.replicaSets = new ReplicaSetController(store, events, this.terminations, this.faults);
    this.autoscalers = new AutoscalerController(store, events);
  }

  start(): void {
    this.timer ??= setInterval(() => this.safeTick(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  markImageBad(image: string, bad: boolean): void {
    if (bad) this.badImages.add(image);
    else this.badImages.delete(image);
  }

  isBadImage(image: string): boolean {
    return this.badImages.has(image);
  }

  /** Runs ticks with pods born ready until nothing changes: a steady state for seeding. */
  settle(bornAt?: Date, rounds = 20): void {
    const world: PodWorld = { isBadImage: (i) => this.isBadImage(i), instant: true, bornAt };
    for (let i = 0; i < rounds; i++) {
      const before = this.store.resourceVersion;
      this.tick(world);
      if (this.store.resourceVersion === before) return;
    }
  }

  tick(world: PodWorld = { isBadImage: (i) => this.isBadImage(i), instant: false }): void {
    this.replicaSets.advancePods(world);
    this.replicaSets.updateStatuses();
    this.autoscalers.reconcile();
    for (const d of this.store.list(DEPLOYMENTS) as Deployment[]) this.deployments.rollout(d);
    this.replicaSets.reconcile(world);
    this.replicaSets.updateStatuses();
    for (const d of this.store.list(DEPLOYMENTS) as Deployment[]) this.deployments.updateStatus(d);
  }

  private safeTick(): void {
    try {
      this.tick();
    } catch (error) {
      // A bad object must not stop the cluster; the next tick tries again.
      this.log?.error({ err: error }, 'sandbox controller tick failed');
    }
  }
}
