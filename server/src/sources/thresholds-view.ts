// Thresholds as Prometheus holds them: the generated `provider_health:threshold` series, resolved the
// way the rules resolve them (the most specific series present wins, falling back to the default).
import { THRESHOLD_SLI_LABEL, type SliId } from '@provider-health/schema';
import type { Sample } from './prometheus';

export class ThresholdsView {
  private readonly byKey = new Map<string, number>();

  constructor(samples: Sample[]) {
    for (const s of samples) {
      const l = s.labels;
      this.byKey.set(key(l.sli ?? '', l.level ?? '', l.provider ?? '', l.alias ?? ''), s.value);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** A level of an SLI for a provider (and alias): alias override, provider override, default. */
  level(sli: SliId | 'minVolume', level: string, provider: string, alias = ''): number | undefined {
    const s = THRESHOLD_SLI_LABEL[sli];
    const candidates = alias
      ? [
          [provider, alias],
          [provider, ''],
          ['', ''],
        ]
      : [
          [provider, ''],
          ['', ''],
        ];
    for (const [p, a] of candidates) {
      const v = this.byKey.get(key(s, level, p, a));
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The minimum volume series, whatever level name the generator gives it. */
  minVolume(provider: string, alias = ''): number | undefined {
    for (const level of ['min', 'minVolume', 'critical', '']) {
      const v = this.level('minVolume', level, provider, alias);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

const key = (sli: string, level: string, provider: string, alias: string) => `${sli}|${level}|${provider}|${alias}`;
