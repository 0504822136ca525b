/** Learner code may print colours and cursor moves; a report, a file or a log shows the text without them. */
import { stripVTControlCharacters } from 'node:util';

export function stripTerminalCodes(text: string): string {
  return stripVTControlCharacters(text);
}
