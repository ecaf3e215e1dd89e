export { startWireServer, type WireServer, type WireServerOptions, type WireRequestLog } from './server';
export { FaultController, seededRandom, type FaultSpec, type FaultDecision } from './faults';
