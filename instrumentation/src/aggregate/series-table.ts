// The cells of one instrument with DESIGN §3's hard series limit: like the SDK's cardinality limit, at most
// `limit - 1` label tuples get a series of their own and every further tuple shares one overflow series
// labelled otel_metric_overflow="true", so an instrument never exports more than `limit` series.
import type { Attributes } from '@opentelemetry/api';
import { LABELS } from '@provider-health/schema';

export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ [LABELS.overflow]: true });

export class SeriesTable<C extends { attributes: Attributes }> {
  readonly cells: C[] = [];
  private overflow: C | undefined;

  constructor(
    readonly limit: number,
    private readonly make: (attributes: Attributes) => C,
  ) {
    if (!Number.isInteger(limit) || limit < 2) throw new Error(`series limit must be an integer >= 2, got ${limit}`);
  }

  /** A new cell for attributes, or the overflow cell once the limit is reached. Callers cache the result. */
  create(attributes: Attributes): C {
    if (this.cells.length + 1 >= this.limit) return this.overflowCell();
    const cell = this.make(attributes);
    this.cells.push(cell);
    return cell;
  }

  overflowCell(): C {
    if (!this.overflow) this.overflow = this.make(OVERFLOW_ATTRIBUTES);
    return this.overflow;
  }

  /** Every cell to export, the overflow series last. */
  all(): C[] {
    return this.overflow ? [...this.cells, this.overflow] : this.cells;
  }

  get size(): number {
    return this.cells.length + (this.overflow ? 1 : 0);
  }
}
