/**
 * Collect what the process writes to stderr (the structured log lines) until restore();
 * next(match) resolves with the first line, already written or still to come, that matches.
 */
export function captureStderr(): { lines(): string[]; next(match: (line: string) => boolean): Promise<string>; restore(): void } {
  const original = process.stderr.write.bind(process.stderr);
  let text = '';
  const waiting: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const lines = () => text.split('\n').filter(Boolean);
  const settle = () => {
    for (const w of [...waiting]) {
      const line = lines().find(w.match);
      if (line === undefined) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(line);
    }
  };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    settle();
    return true;
  }) as typeof process.stderr.write;
  return {
    lines,
    next: (match) =>
      new Promise((resolve) => {
        waiting.push({ match, resolve });
        settle();
      }),
    restore: () => {
      process.stderr.write = original;
    },
  };
}
