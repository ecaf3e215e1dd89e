// Reads a provider response body as it flows to the client, without buffering it for the client: time to
// first token, usage from the JSON body or the final SSE chunk, and whether an SSE stream reached [DONE].
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const CONTENT = /"content":"[^"]/;

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

export class BodyObserver {
  usage: Usage = {};
  sawDone = false;
  private readonly decoder = new TextDecoder();
  private pending = '';
  private json: string[] | undefined;
  private jsonBytes = 0;

  constructor(
    readonly sse: boolean,
    private readonly onFirstToken: () => void,
  ) {
    if (!sse) this.json = [];
  }

  chunk(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (!this.sse) {
      this.jsonBytes += bytes.byteLength;
      if (this.json && this.jsonBytes <= MAX_JSON_BYTES) this.json.push(text);
      else this.json = undefined; // too large to parse for usage: keep streaming, skip usage
      return;
    }
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.sse) {
      if (this.pending) this.line(this.pending);
      return;
    }
    if (!this.json) return;
    try {
      this.usage = openAiUsage(JSON.parse(this.json.join('') + this.decoder.decode()));
    } catch {
      // Not JSON (an HTML error page, say): no usage.
    }
  }

  private line(line: string): void {
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      this.sawDone = true;
      return;
    }
    if (CONTENT.test(data)) this.onFirstToken();
    if (data.includes('"usage":{')) {
      try {
        this.usage = openAiUsage(JSON.parse(data));
      } catch {
        // A malformed chunk is the client's problem to report; usage stays unknown.
      }
    }
  }
}

export function openAiUsage(body: unknown): Usage {
  const u = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | null)?.usage;
  const n = (v: unknown) => (typeof v === 'number' && v >= 0 ? v : undefined);
  return { inputTokens: n(u?.prompt_tokens), outputTokens: n(u?.completion_tokens) };
}
