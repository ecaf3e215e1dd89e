// provider-health: the command line over the pipeline. It only parses flags, calls loadThresholds and
// buildOutputs, and writes; exit 0 ok, 1 bad input or stale output, 2 internal error.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ResolvedThresholds } from '@provider-health/schema';
import { buildOutputs } from './build';
import { formatError, loadThresholds, type ConfigError } from './config';
import { staleFiles, writeFilesAtomic } from './write';

/** rules/ (the same from src/ and dist/). */
const PACKAGE_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_CONFIG = path.join(PACKAGE_ROOT, 'thresholds.yaml');
/** The repository root: the generated paths are relative to it. */
export const DEFAULT_OUT = path.resolve(PACKAGE_ROOT, '..');

export const USAGE = `Usage:
  provider-health generate [--config FILE] [--overlay FILE]... [--out DIR] [--check] [--format text|json]
  provider-health validate [--config FILE] [--overlay FILE]... [--format text|json]

Compiles thresholds.yaml into Prometheus rules, Alertmanager routes and promtool unit tests.

Options:
  --config FILE    thresholds file (default: rules/thresholds.yaml)
  --overlay FILE   merged key by key over the config before validation; repeatable, later wins
                   (e.g. rules/profiles/demo.yaml)
  --out DIR        root the generated repository-relative paths are written under (default: the repository root)
  --check          write nothing; exit 1 and list the files whose committed content is stale
  --format FORMAT  text (default): errors as file:line:col: message (hint); json: one JSON object
  -h, --help       this help

Exit status: 0 ok, 1 invalid config, bad usage or stale output (nothing written), 2 internal error.
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
};

class UsageError extends Error {}

interface Args {
  command: 'generate' | 'validate';
  config: string;
  overlays: string[];
  out: string;
  check: boolean;
  json: boolean;
}

function parse(argv: string[], cwd: string): Args | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        overlay: { type: 'string', multiple: true },
        out: { type: 'string' },
        check: { type: 'boolean' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return 'help';
  const [command, ...extra] = positionals;
  if (command !== 'generate' && command !== 'validate') {
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (values.format !== undefined && values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not "${values.format}"`);
  }
  if (command === 'validate' && (values.out !== undefined || values.check)) {
    throw new UsageError('--out and --check belong to generate');
  }
  const display = (p: string) => path.relative(cwd, p) || p;
  return {
    command,
    config: values.config ?? display(DEFAULT_CONFIG),
    overlays: values.overlay ?? [],
    out: path.resolve(cwd, values.out ?? DEFAULT_OUT),
    check: values.check ?? false,
    json: values.format === 'json',
  };
}

/** Runs one command; returns the exit status. Never throws. */
export function main(argv: string[], io: CliIo = processIo): number {
  try {
    const args = parse(argv, io.cwd);
    if (args === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    return run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`provider-health: ${e.message}\n${USAGE}`);
      return 1;
    }
    const detail = process.env.PROVIDER_HEALTH_DEBUG ? `\n${(e as Error).stack}` : '';
    io.stderr(`provider-health: internal error: ${(e as Error).message}${detail}\n`);
    return 2;
  }
}

function run(args: Args, io: CliIo): number {
  const loaded = loadThresholds({ file: args.config, overlays: args.overlays, baseDir: io.cwd });
  if (!loaded.ok) return reportErrors(loaded.errors, args, io);
  if (args.command === 'validate') return reportValid(loaded.resolved, args, io);
  const files = buildOutputs(loaded.resolved, { configPath: sourceName(args, io.cwd) });
  try {
    return args.check ? check(files, args, io) : write(files, args, io);
  } catch (e) {
    // The file system's refusals (permissions, a directory where a file goes) are the user's to fix.
    const err = e as NodeJS.ErrnoException;
    if (!err.code) throw e;
    io.stderr(
      `provider-health: cannot ${args.check ? 'read' : 'write'} under ${args.out}: ${err.message}; nothing written.\n`,
    );
    return 1;
  }
}

function reportValid(resolved: ResolvedThresholds, args: Args, io: CliIo): number {
  const providers = Object.keys(resolved.providers).length;
  if (args.json)
    io.stdout(`${JSON.stringify({ ok: true, config: args.config, overlays: args.overlays, providers })}\n`);
  else io.stdout(`${[args.config, ...args.overlays].join(' + ')}: ok (${providers} provider(s) with overrides)\n`);
  return 0;
}

/**
 * How the generated headers name their source: relative to the output root, so the same checkout generates
 * the same bytes from any working directory.
 */
function sourceName(args: Args, cwd: string): string {
  const name = (p: string) => {
    const rel = path.relative(args.out, path.resolve(cwd, p));
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
  };
  return [args.config, ...args.overlays].map(name).join(' + ');
}

function reportErrors(errors: ConfigError[], args: Args, io: CliIo): number {
  if (args.json) io.stderr(`${JSON.stringify({ ok: false, errors })}\n`);
  else io.stderr(`${errors.map(formatError).join('\n')}\n${errors.length} error(s); nothing written.\n`);
  return 1;
}

function check(files: Record<string, string>, args: Args, io: CliIo): number {
  const stale = staleFiles(args.out, files);
  if (args.json) io[stale.length ? 'stderr' : 'stdout'](`${JSON.stringify({ ok: stale.length === 0, stale })}\n`);
  else if (stale.length) {
    io.stderr(`${stale.map((f) => `stale: ${f}`).join('\n')}\nGenerated output is stale: run npm run generate.\n`);
  } else io.stdout(`${Object.keys(files).length} generated files are up to date.\n`);
  return stale.length ? 1 : 0;
}

function write(files: Record<string, string>, args: Args, io: CliIo): number {
  const changed = writeFilesAtomic(args.out, files);
  const all = Object.keys(files).sort();
  if (args.json) io.stdout(`${JSON.stringify({ ok: true, out: args.out, files: all, changed })}\n`);
  else
    io.stdout(
      `${all.length} files under ${args.out}, ${changed.length} changed${changed.map((f) => `\n  ${f}`).join('')}\n`,
    );
  return 0;
}

/** The process entry point (bin/provider-health.cjs): `provider-health validate | head` ends quietly. */
export function runAsProcess(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  process.exitCode = main(process.argv.slice(2));
}

if (require.main === module) runAsProcess();
