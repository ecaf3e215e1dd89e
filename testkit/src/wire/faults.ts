// The runtime fault controller of a wire server: the demo's scenarios and the tests set faults per server or
// per deployment (model, Azure deployment or Bedrock model id) while traffic flows.
export interface FaultSpec {
  /** Share (0..1) of requests answered with `status`; default 1 when a status is set. */
  errorRate?: number;
  /** HTTP status of injected errors, with an error body in the server's wire format. */
  status?: number;
  /** `retry-after` header (seconds) on injected errors. */
  retryAfterSeconds?: number;
  /** `retry-after-ms` and Azure's `x-ms-retry-after-ms` headers on injected errors. */
  retryAfterMs?: number;
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Uniform random extra delay, 0..jitterMs. */
  jitterMs?: number;
  /** Streams: delay between the headers and the first content chunk. */
  ttftMs?: number;
  /** Streams: delay between chunks. */
  chunkDelayMs?: number;
  /** Never answer; the connection stays open until the client gives up. */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Streams: destroy the connection after this many content chunks. */
  cutStreamAfterChunks?: number;
  /** Apply to the next N requests only, then clear this fault. */
  times?: number;
}

export interface FaultDecision {
  spec: FaultSpec;
  /** True when this request gets the injected error status. */
  fail: boolean;
  delayMs: number;
}

/** A small seeded PRNG (mulberry32) so error rates are reproducible in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultController {
  private global: FaultSpec | undefined;
  private readonly byDeployment = new Map<string, FaultSpec>();

  constructor(private readonly random: () => number = Math.random) {}

  /** Sets the fault of one deployment, or of the whole server when deployment is omitted. */
  set(spec: FaultSpec, deployment?: string): void {
    validate(spec);
    if (deployment === undefined) this.global = { ...spec };
    else this.byDeployment.set(deployment, { ...spec });
  }

  clear(deployment?: string): void {
    if (deployment === undefined) {
      this.global = undefined;
      this.byDeployment.clear();
    } else this.byDeployment.delete(deployment);
  }

  /** What happens to one request for this deployment (consumes one of `times`). */
  decide(deployment: string): FaultDecision {
    const own = this.byDeployment.has(deployment);
    const spec = own ? this.byDeployment.get(deployment)! : this.global;
    if (!spec) return { spec: {}, fail: false, delayMs: 0 };
    if (spec.times !== undefined && --spec.times <= 0) {
      if (own) this.byDeployment.delete(deployment);
      else this.global = undefined;
    }
    const rate = spec.errorRate ?? (spec.status !== undefined ? 1 : 0);
    const fail = spec.status !== undefined && this.random() < rate;
    const delayMs = (spec.latencyMs ?? 0) + (spec.jitterMs ? this.random() * spec.jitterMs : 0);
    return { spec, fail, delayMs };
  }
}

function validate(spec: FaultSpec): void {
  const bad = (field: string, why: string) => new Error(`fault spec: ${field} ${why} (got ${JSON.stringify(spec)})`);
  if (spec.errorRate !== undefined && !(spec.errorRate >= 0 && spec.errorRate <= 1))
    throw bad('errorRate', 'must be in 0..1');
  if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status < 600)) {
    throw bad('status', 'must be an HTTP error status 400..599');
  }
  for (const f of ['latencyMs', 'jitterMs', 'ttftMs', 'chunkDelayMs', 'retryAfterSeconds', 'retryAfterMs'] as const) {
    const v = spec[f];
    if (v !== undefined && !(v >= 0)) throw bad(f, 'must be >= 0');
  }
}
