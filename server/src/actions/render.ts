// Renders an action template over {alert, decision, transition}. Templates are not HTML: nothing is
// escaped; `{{json x}}` embeds a value as JSON (use it inside JSON bodies).
import Handlebars from 'handlebars';
import type { ActionTemplate } from '../config/types';
import type { ActionContext } from './outbox';

const hb = Handlebars.create();
hb.registerHelper('json', (v: unknown) => new hb.SafeString(JSON.stringify(v)));
const compiled = new Map<string, Handlebars.TemplateDelegate>();

const render = (template: string, ctx: ActionContext) => {
  let fn = compiled.get(template);
  if (!fn) {
    fn = hb.compile(template, { noEscape: true, strict: false });
    compiled.set(template, fn);
  }
  return fn(ctx);
};

export interface RenderedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export function renderAction(t: ActionTemplate, ctx: ActionContext): RenderedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.headers)) headers[k] = render(v, ctx);
  return {
    url: render(t.url, ctx),
    method: t.method,
    headers,
    body: t.body === undefined ? undefined : render(t.body, ctx),
  };
}

/** Compiles every template once at start, so a typo fails the start, not the first failover. */
export function checkTemplates(templates: ActionTemplate[]): void {
  for (const t of templates) {
    for (const [field, text] of Object.entries({ url: t.url, body: t.body ?? '', ...t.headers })) {
      try {
        hb.precompile(text);
      } catch (error) {
        throw new Error(`action template ${t.name}, ${field}: ${(error as Error).message}`);
      }
    }
  }
}
