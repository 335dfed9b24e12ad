import { describe, expect, it } from 'vitest';
import { ZCreateUserInput, ZOwnerInput, ZSetupInput } from './accounts';

describe('account input', () => {
  const input = (username: string) => ({ username, email: 'someone@x.test', password: 'long-enough-pw', roles: [] });

  it.each(['registry', 'system', 'anonymous', ' Registry '])('refuses the reserved name %j for new accounts, on the username field', (username) => {
    for (const schema of [ZCreateUserInput, ZSetupInput]) {
      const r = schema.safeParse(input(username));
      expect(r.success).toBe(false);
      expect(r.error?.issues).toEqual([expect.objectContaining({ path: ['username'], message: 'this username is reserved' })]);
    }
  });

  it('accepts ordinary names, and reserved ones where an existing account is named', () => {
    expect(ZCreateUserInput.parse(input('Registry-Bot'))).toMatchObject({ username: 'registry-bot' });
    expect(ZOwnerInput.safeParse({ name: 'resnet', username: 'registry' }).success).toBe(true);
  });
});
