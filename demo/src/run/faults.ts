// Turns a scenario phase's faults into settings of the wire servers' fault controllers.
import type { FaultSpec as WireFault, WireServer } from '@provider-health/testkit';
import type { ProviderKind, ProviderSpec } from '../router/topology';
import type { FaultSpec } from '../scenario';

export function applyFaults(
  faults: FaultSpec[],
  providers: ProviderSpec[],
  wire: Record<ProviderKind, WireServer>,
): void {
  for (const w of Object.values(wire)) w.faults.clear();
  for (const f of faults) {
    const spec = providers.find((p) => p.id === f.provider);
    if (!spec)
      throw new Error(`fault for unknown provider '${f.provider}'; known: ${providers.map((p) => p.id).join(', ')}`);
    if (f.region && f.region !== spec.region) {
      throw new Error(
        `fault for ${f.provider} region '${f.region}': the demo's ${f.provider} serves region ${spec.region}`,
      );
    }
    const controller = wire[spec.kind].faults;
    if (!f.alias) {
      controller.set(toWire(f));
      continue;
    }
    const model = spec.models[f.alias];
    if (!model)
      throw new Error(
        `fault for ${f.provider} alias '${f.alias}': not served; known: ${Object.keys(spec.models).join(', ')}`,
      );
    controller.set(toWire(f), model);
  }
}

function toWire(f: FaultSpec): WireFault {
  const w: WireFault = {};
  if (f.status !== undefined) w.status = f.status;
  if (f.errorRate !== undefined) w.errorRate = f.errorRate;
  if (f.status === 429) w.retryAfterSeconds = 1;
  if (f.latencySeconds !== undefined) w.latencyMs = f.latencySeconds * 1000;
  if (f.jitterSeconds !== undefined) w.jitterMs = f.jitterSeconds * 1000;
  if (f.timeToFirstTokenSeconds !== undefined) w.ttftMs = f.timeToFirstTokenSeconds * 1000;
  return w;
}
