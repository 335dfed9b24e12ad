// Compiles a TypeScript entry point and the relative imports it reaches to CommonJS .js files
// (TypeScript's own transpileModule; no type check), so a memory measurement can run under plain
// `node`: a loader such as `node --import tsx` adds its own ~45 MB (a second V8 isolate on the
// module-hooks thread) to the very peak RSS being measured.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveTs(fromFile: string, spec: string): string {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(`cannot resolve ${spec} from ${fromFile}`);
}

/** Writes `<outDir>/<path relative to root>.js` for `entry` and its relative imports; returns the entry's .js path. */
export function compileForNode(entry: string, root: string, outDir: string): string {
  const seen = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(RELATIVE_IMPORT)) queue.push(resolveTs(file, match[1]));
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const out = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  return path.join(outDir, path.relative(root, path.resolve(entry))).replace(/\.ts$/, '.js');
}
