/**
 * The bug zoo and the alternative solutions of an exercise, for `verify`:
 * `<zoo>/alternatives/*.ts` must score 100%, `<zoo>/bugs/*.ts` must fail,
 * each on the behaviours its header names with `@breaks <behaviour>`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fromRoot, type Exercise } from './manifest.ts';

export interface ZooEntry {
  kind: 'alternative' | 'bug';
  name: string;
  file: string;
  /** One-line summary from the header comment. */
  summary: string;
  /** Behaviours this bug must fail. */
  breaks: string[];
}

export function parseZooHeader(source: string): { summary: string; breaks: string[] } {
  const header = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  const lines = header.split('\n').map((line) => line.replace(/^\s*\*\s?/, '').trim());
  const summary = lines.find((line) => line !== '' && !line.startsWith('@')) ?? '';
  const breaks = lines.filter((line) => line.startsWith('@breaks ')).map((line) => line.slice('@breaks '.length).trim());
  return { summary, breaks };
}

function entries(folder: string, kind: ZooEntry['kind']): ZooEntry[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.ts')).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = join(folder, name);
    return { kind, name: basename(name, '.ts'), file, ...parseZooHeader(readFileSync(file, 'utf8')) };
  });
}

export function loadZoo(exercise: Exercise): ZooEntry[] {
  const root = fromRoot(exercise.zoo);
  return [...entries(join(root, 'alternatives'), 'alternative'), ...entries(join(root, 'bugs'), 'bug')];
}
