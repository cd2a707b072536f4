import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TeamsConfig } from './config.js';

/**
 * Which Microsoft Entra tenants may talk to the bot. A single-tenant app (and a managed
 * identity) serves its own tenant only. A multi-tenant registration can be installed by any
 * tenant, which is no reason to let any tenant read production's logs: it serves the tenants
 * the catalog lists, or — when the catalog lists none — the tenant it was installed in first,
 * remembered in Redis for every replica.
 */
export class TenantBoundary {
  private home: string | undefined;

  constructor(
    private readonly config: TeamsConfig,
    /** The catalog's allow-list for a multi-tenant app (may be empty). */
    private readonly listed: readonly string[],
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Says at start-up whom the bot serves, so an operator sees a wrong tenant before a user does. */
  async describe(log: Logger): Promise<void> {
    const fixed = this.fixedTenants();
    if (fixed) {
      log.info({ tenants: fixed, source: this.config.appType === 'MultiTenant' ? 'catalog' : 'MicrosoftAppTenantId' }, 'Teams serves these tenants only');
      return;
    }
    const home = await this.homeTenant();
    if (home) log.info({ tenants: [home], source: 'first installation' }, 'Teams serves the tenant it was installed in first');
    else log.warn({ source: 'first installation' }, 'Teams serves the tenant it is installed in first (none yet); list tenants in the catalog to choose them');
  }

  /** Whether `tenantId` may use the bot. An activity without a tenant is not from a tenant we serve. */
  async allows(tenantId: string | undefined): Promise<boolean> {
    if (this.config.unauthenticated) return true;
    if (!tenantId) return false;
    const fixed = this.fixedTenants();
    if (fixed) return fixed.includes(tenantId.toLowerCase());
    const home = await this.homeTenant();
    return home === tenantId.toLowerCase();
  }

  /** The bot was installed in `tenantId`: the first such tenant becomes the one it serves (when none is fixed). */
  async installedIn(tenantId: string | undefined, log: Logger): Promise<void> {
    if (!tenantId || this.fixedTenants() || this.config.unauthenticated) return;
    const claimed = await this.redis.set(this.key(), tenantId.toLowerCase(), 'NX');
    if (claimed === 'OK') {
      this.home = tenantId.toLowerCase();
      log.warn({ tenantId }, 'Teams now serves the tenant it was first installed in; other tenants are refused');
    }
  }

  private fixedTenants(): string[] | undefined {
    if (this.config.appType !== 'MultiTenant') return this.config.tenantId ? [this.config.tenantId.toLowerCase()] : [];
    return this.listed.length > 0 ? this.listed.map((t) => t.toLowerCase()) : undefined;
  }

  private async homeTenant(): Promise<string | undefined> {
    this.home ??= (await this.redis.get(this.key())) ?? undefined;
    return this.home;
  }

  private key(): string {
    return `${this.prefix}:teams:home-tenant`;
  }
}
