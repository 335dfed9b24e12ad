#!/usr/bin/env node
// The torsh CLI: TypeScript sources in lib/cli, compiled on the fly by tsx.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const { register: registerCjs } = await import('tsx/cjs/api');
const { register: registerEsm } = await import('tsx/esm/api');
registerCjs();
registerEsm();
const cli = await import(pathToFileURL(path.join(import.meta.dirname, '..', 'lib', 'cli', 'main.ts')).href);
process.exitCode = await (cli.main ?? cli.default.main)();
