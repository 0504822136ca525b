/**
 * Lessons in the terminal: rendered with marked + marked-terminal (headings,
 * emphasis, highlighted code) for a person at a colour terminal, the Markdown
 * itself everywhere else (a pipe, NO_COLOR, TERM=dumb), so nothing gets escape
 * codes it cannot show.
 */
import { Marked, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';

export function renderMarkdown(markdown: string, { width = 100 }: { width?: number } = {}): string {
  const marked = new Marked();
  marked.use(markedTerminal({ width, reflowText: false, tab: 2 }) as Parameters<Marked['use']>[0]);
  // marked-terminal 7 prints the text of list items raw with marked >= 13
  // (mikaelbr/marked-terminal#304): render their inline tokens ourselves.
  marked.use({
    renderer: {
      text(token: Tokens.Text | Tokens.Escape) {
        return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
      },
    },
  });
  const rendered = marked.parse(markdown, { async: false });
  return `${rendered.trimEnd()}\n`;
}
