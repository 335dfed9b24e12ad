import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

type State = { failed: Record<string, number> };

const hostOf = (url: string) => new URL(url).origin;

/**
 * Fail-back off (`failover.failback: false`): hosts that failed a download stay behind the others
 * in later downloads until one of them serves again. Kept as a small JSON file beside the cache
 * (`failover-state.json`); deleting it fails back to the registry's order.
 */
export class FailoverMemory {
  readonly file: string;

  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = path.join(dir, 'failover-state.json');
  }

  private async read(): Promise<State> {
    try {
      const value = JSON.parse(await readFile(this.file, 'utf8')) as State;
      return value && typeof value.failed === 'object' && value.failed !== null ? value : { failed: {} };
    } catch {
      return { failed: {} };
    }
  }

  private async write(state: State): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(state));
    await rename(tmp, this.file);
  }

  /** Locations that have not failed keep their order; remembered ones follow, the oldest failure first. */
  async order<T extends { url: string }>(locations: T[]): Promise<T[]> {
    const { failed } = await this.read();
    const ok = locations.filter((l) => failed[hostOf(l.url)] === undefined);
    const bad = locations.filter((l) => failed[hostOf(l.url)] !== undefined).sort((a, b) => failed[hostOf(a.url)] - failed[hostOf(b.url)]);
    return [...ok, ...bad];
  }

  async failed(url: string): Promise<void> {
    const state = await this.read();
    state.failed[hostOf(url)] = this.now();
    await this.write(state);
  }

  async succeeded(url: string): Promise<void> {
    const state = await this.read();
    if (state.failed[hostOf(url)] === undefined) return;
    delete state.failed[hostOf(url)];
    await this.write(state);
  }

  async remembered(): Promise<string[]> {
    return Object.keys((await this.read()).failed);
  }
}
