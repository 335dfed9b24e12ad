#!/usr/bin/env node
// The torsh CLI: TypeScript sources in lib/cli, compiled on the fly by tsx.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// `torsh … | head`: a reader that stops early is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// The `@/` imports resolve through the install's tsconfig, whatever the working directory.
process.env.TSX_TSCONFIG_PATH ??= path.join(path.join(import.meta.dirname, '..'), 'tsconfig.json');
const { register: registerCjs } = await import('tsx/cjs/api');
const { register: registerEsm } = await import('tsx/esm/api');
registerCjs();
registerEsm();
const cli = await import(pathToFileURL(path.join(import.meta.dirname, '..', 'lib', 'cli', 'main.ts')).href);
process.exitCode = await (cli.main ?? cli.default.main)();
