/**
 * enquirer prompts, with Ctrl+C as an answer: enquirer rejects with an empty
 * string when the person presses Ctrl+C (after restoring the terminal), which
 * becomes `undefined` here, so callers treat it as "quit".
 */
import Enquirer from 'enquirer';
import type { Io } from './commands.ts';

export const CANCELLED = undefined;

interface PromptLike<T> {
  run(): Promise<T>;
}

export async function ask<T>(prompt: PromptLike<T>): Promise<T | undefined> {
  try {
    return await prompt.run();
  } catch (error) {
    if (error === '' || error === undefined) return CANCELLED;
    throw error;
  }
}

type PromptClass = new (options: Record<string, unknown>) => PromptLike<unknown>;
const prompts = Enquirer as unknown as { Confirm: PromptClass; Select: PromptClass };

export function confirm(io: Io, message: string, initial = false): Promise<boolean | undefined> {
  return ask(new prompts.Confirm({ message, initial, stdin: io.stdin, stdout: io.stdout }) as PromptLike<boolean>);
}

export interface Choice<T extends string = string> {
  /** Shown once answered; unique within a menu. */
  name: string;
  /** Shown in the list (default: name). */
  message?: string;
  hint?: string;
  disabled?: boolean | string;
  value: T;
}

/** The chosen value; undefined on Ctrl+C. */
export async function select<T extends string>(io: Io, message: string, choices: Array<Choice<T>>, initial: number): Promise<T | undefined> {
  const shown = choices.map(({ value: _value, ...choice }) => choice);
  const name = await ask(new prompts.Select({ message, choices: shown, initial, stdin: io.stdin, stdout: io.stdout }) as PromptLike<string>);
  return choices.find((choice) => choice.name === name)?.value;
}
