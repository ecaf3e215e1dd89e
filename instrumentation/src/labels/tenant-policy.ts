// Bounds the tenant label (DESIGN §3): an allow-list, or the first N clean values seen ("top-N by arrival";
// a series, once exported, keeps its label so counters stay monotonic). Everything else is `other`.
import { OTHER_TENANT } from '@provider-health/schema';
import { looksSensitive } from './sensitive';

export interface TenantOptions {
  /** Only these tenants get their own label; wins over maxTenants. */
  allow?: readonly string[];
  /** Without an allow-list: how many distinct tenants get their own label (default 100). */
  maxTenants?: number;
}

export type DropReason = 'sensitive' | 'limit' | 'not_allowed';

export class TenantPolicy {
  private readonly admitted = new Map<string, string>();
  private readonly allow: ReadonlySet<string> | undefined;
  private readonly max: number;

  constructor(
    options: TenantOptions = {},
    private readonly onDrop: (reason: DropReason) => void = () => {},
  ) {
    this.allow = options.allow ? new Set(options.allow) : undefined;
    this.max = options.maxTenants ?? 100;
    if (!Number.isInteger(this.max) || this.max < 0) {
      throw new Error(`tenants.maxTenants must be a non-negative integer, got ${options.maxTenants}`);
    }
  }

  /** The exported label for a raw tenant value; undefined or empty stays empty (no tenant). */
  label(raw: string | undefined): string {
    if (raw === undefined || raw === '') return '';
    const hit = this.admitted.get(raw);
    return hit !== undefined ? hit : this.admit(raw);
  }

  private admit(raw: string): string {
    if (raw === OTHER_TENANT) return OTHER_TENANT;
    if (this.allow) {
      if (!this.allow.has(raw)) return this.drop('not_allowed');
    } else if (this.admitted.size >= this.max) {
      return this.drop('limit');
    }
    if (looksSensitive(raw)) return this.drop('sensitive');
    this.admitted.set(raw, raw);
    return raw;
  }

  private drop(reason: DropReason): string {
    this.onDrop(reason);
    return OTHER_TENANT;
  }
}
