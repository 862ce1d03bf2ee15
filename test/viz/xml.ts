/**
 * A small well-formedness check for the charts' SVG and the reports' HTML: every tag closes in
 * order, attributes are quoted, and text holds no bare `<` or unescaped `&`. It is not a full
 * XML parser; it checks what a chart could get wrong by building strings.
 */
export function wellFormedProblems(markup: string, voidElements: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  // A style sheet is skipped whole (its text is CSS, not markup), so it is tried first.
  const token = /<style>[\s\S]*?<\/style>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<\?xml[^>]*\?>|<\/([A-Za-z][\w:-]*)\s*>|<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  const checkText = (chunk: string, at: number): void => {
    if (chunk.includes('<')) problems.push(`bare < or malformed tag near offset ${at}: ${JSON.stringify(chunk.slice(chunk.indexOf('<'), chunk.indexOf('<') + 40))}`);
    const amp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(chunk);
    if (amp) problems.push(`unescaped & near offset ${at + amp.index}`);
  };
  for (let m = token.exec(markup); m; m = token.exec(markup)) {
    checkText(markup.slice(last, m.index), last);
    last = m.index + m[0].length;
    const [whole, closing, opening, , selfClosing] = m;
    if (whole.startsWith('<style>')) continue;
    if (closing !== undefined) {
      const open = stack.pop();
      if (open !== closing) problems.push(`</${closing}> closes <${open ?? 'nothing'}> at offset ${m.index}`);
    } else if (opening !== undefined && selfClosing !== '/' && !voidElements.has(opening.toLowerCase())) {
      stack.push(opening);
    }
  }
  checkText(markup.slice(last), last);
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

/** The texts of every <text> element, unescaped, for checking titles, axis labels and legends. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&'),
  );
}
