// The atomic multi-file write and the --check comparison.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { staleFiles, targetPath, writeFilesAtomic } from '../../src/write';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ph-write-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const files = { 'a/one.yml': 'one\n', 'b/c/two.yml': 'two\n' };

/** Every file under root, relative, sorted. */
function tree(dir = root, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tree(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe('writeFilesAtomic', () => {
  it('writes every file, creating folders, and leaves no temporary behind', () => {
    expect(writeFilesAtomic(root, files)).toEqual(['a/one.yml', 'b/c/two.yml']);
    expect(tree()).toEqual(['a/one.yml', 'b/c/two.yml']);
    expect(readFileSync(path.join(root, 'b/c/two.yml'), 'utf8')).toBe('two\n');
  });

  it('reports only the files whose content changed', () => {
    writeFilesAtomic(root, files);
    expect(writeFilesAtomic(root, { ...files, 'a/one.yml': 'uno\n' })).toEqual(['a/one.yml']);
    expect(writeFilesAtomic(root, { ...files, 'a/one.yml': 'uno\n' })).toEqual([]);
  });

  it('writes nothing when one file cannot be written', () => {
    writeFilesAtomic(root, files);
    mkdirSync(path.join(root, 'locked'));
    chmodSync(path.join(root, 'locked'), 0o500);
    const canWriteAnyway = process.getuid?.() === 0; // root ignores directory permissions
    const blocked: Record<string, string> = canWriteAnyway ? { 'a/one.yml/x': 'x' } : { 'locked/x.yml': 'x' };
    expect(() => writeFilesAtomic(root, { 'a/one.yml': 'changed\n', ...blocked })).toThrow();
    expect(readFileSync(path.join(root, 'a/one.yml'), 'utf8')).toBe('one\n');
    expect(tree()).toEqual(['a/one.yml', 'b/c/two.yml']);
  });

  it('refuses paths that leave the root', () => {
    expect(() => writeFilesAtomic(root, { '../escape.yml': 'x' })).toThrow(/outside/);
    expect(() => targetPath(root, '/etc/passwd')).toThrow(/outside/);
    expect(existsSync(path.join(root, '..', 'escape.yml'))).toBe(false);
  });
});

describe('staleFiles', () => {
  it('lists missing and differing files, not equal ones', () => {
    expect(staleFiles(root, files)).toEqual(['a/one.yml', 'b/c/two.yml']);
    writeFilesAtomic(root, files);
    expect(staleFiles(root, files)).toEqual([]);
    writeFileSync(path.join(root, 'b/c/two.yml'), 'edited by hand\n');
    expect(staleFiles(root, files)).toEqual(['b/c/two.yml']);
  });
});
