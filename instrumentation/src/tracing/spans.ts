// Span shapes of DESIGN §3: a CLIENT span per logical request, `{operation} {model}`, and a child per attempt.
import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Span, type Tracer } from '@opentelemetry/api';
import { GENAI, LABELS } from '@provider-health/schema';
import {
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import type { AttemptRecord, Deployment } from '../types';
import type { RequestInfo } from './request-scope';

export function startRequestSpan(tracer: Tracer, info: RequestInfo): Span {
  const operation = info.operation ?? 'chat';
  return tracer.startSpan(`${operation} ${info.model}`, {
    kind: SpanKind.CLIENT,
    attributes: { [GENAI.operationName]: operation, [GENAI.requestModel]: info.model },
  });
}

export function startAttemptSpan(
  tracer: Tracer,
  parent: Span,
  d: Deployment,
  resendCount: number,
  startMs: number,
): Span {
  return tracer.startSpan(
    `attempt ${d.provider}`,
    {
      kind: SpanKind.CLIENT,
      startTime: startMs,
      attributes: {
        [LABELS.provider]: d.provider,
        [LABELS.alias]: d.alias,
        [LABELS.region]: d.region,
        [GENAI.providerName]: d.provider,
        [GENAI.resendCount]: resendCount,
      },
    },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
}

export function endAttemptSpan(span: Span, r: AttemptRecord, endMs: number): void {
  span.setAttribute(LABELS.outcome, r.outcome);
  if (r.statusCode !== undefined) span.setAttribute(GENAI.httpStatusCode, r.statusCode);
  if (r.inputTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, r.inputTokens);
  if (r.outputTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, r.outputTokens);
  if (r.outcome !== 'success') {
    span.setAttribute(GENAI.errorType, r.outcome);
    span.setStatus({ code: SpanStatusCode.ERROR, message: r.outcome });
  }
  span.end(endMs);
}
