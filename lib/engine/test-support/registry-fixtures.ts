import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { actorForUser } from '../access/actor-for-user';
import { createUser, getUser } from '../access/users';
import { ANONYMOUS, type Actor } from '../actor';
import type { Engine } from '../engine';
import { writeSamplePackage, type SamplePackageOptions } from '../format/test-support/sample-package';
import { publishVersion } from '../registry';

/** A user with these roles, as a signed-in actor. */
export async function userActor(engine: Engine, username: string, roles: string[]): Promise<Actor> {
  const { id } = await createUser(engine, { username, email: `${username}@example.test`, password: 'fixture-password-1', roles });
  return actorForUser(engine, getUser(engine, id), { sessionId: 'test' });
}

/**
 * Write a sample package and publish it through the real publish path. The temp folder it was
 * written to is removed afterwards (a `dir` given by the caller is left alone).
 */
export async function publishSample(engine: Engine, name: string, version: string, opts: Partial<SamplePackageOptions> & { actor?: Actor } = {}) {
  const file = await writeSamplePackage({ ...opts, name, version });
  try {
    return await publishVersion(engine, opts.actor ?? ANONYMOUS, { name, version, source: { kind: 'stream', body: createReadStream(file), contentLength: (await stat(file)).size } });
  } finally {
    if (!opts.dir) await rm(path.dirname(file), { recursive: true, force: true });
  }
}
