// The demo's providers and the aliases they all serve. A router alias names a capability ("gpt-4o"
// class of model); each provider serves it with its own model or deployment name.
import type { Deployment } from '@provider-health/schema';

export const PROVIDER_KINDS = ['openai', 'azure', 'bedrock'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface ProviderSpec {
  /** Provider id, as exported in the `provider` label. */
  id: string;
  kind: ProviderKind;
  region: string;
  /** alias -> the provider's model id (OpenAI model, Azure deployment, Bedrock model id). */
  models: Record<string, string>;
}

export const DEMO_ALIASES = ['gpt-4o', 'gpt-4o-mini'] as const;

export const DEMO_PROVIDERS: ProviderSpec[] = [
  { id: 'openai', kind: 'openai', region: 'us', models: { 'gpt-4o': 'gpt-4o', 'gpt-4o-mini': 'gpt-4o-mini' } },
  {
    id: 'azure',
    kind: 'azure',
    region: 'eastus',
    models: { 'gpt-4o': 'prod-gpt-4o', 'gpt-4o-mini': 'prod-gpt-4o-mini' },
  },
  {
    id: 'bedrock',
    kind: 'bedrock',
    region: 'us-east-1',
    models: {
      'gpt-4o': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'gpt-4o-mini': 'anthropic.claude-3-haiku-20240307-v1:0',
    },
  },
];

export function deploymentsOf(providers: ProviderSpec[]): Deployment[] {
  return providers.flatMap((p) => Object.keys(p.models).map((alias) => ({ provider: p.id, region: p.region, alias })));
}

export const deploymentKey = (d: Deployment) => `${d.provider}/${d.region}/${d.alias}`;
