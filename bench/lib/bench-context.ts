// What the registry benchmark's phases share (bench/run.ts builds it once the services are up).
import type { Service } from './service';

export type BenchContext = {
  baseUrl: string;
  /** An admin bearer token: every request of ours carries it, as a CI client's does. */
  token: string;
  nginx: Service;
  /** Where packages are built; nginx serves this folder. */
  pkgDir: string;
  originPid: number;
  /** The wrk Lua report hook (writeWrkScript). */
  wrkScript: string;
  repeats: number;
  wrkSeconds: number;
  warmupSeconds: number;
  log: (msg: string) => void;
};

export function fail(msg: string): never {
  throw new Error(msg);
}

export function versionUrl(baseUrl: string, pkg: { name: string; version: string }): string {
  return `${baseUrl}/api/v1/packages/${pkg.name}/${pkg.version}`;
}

export const bearer = (ctx: BenchContext) => ({ authorization: `Bearer ${ctx.token}` });
