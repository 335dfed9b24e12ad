const SECRET = /SECRET|PASSWORD|TOKEN|KEY|CONNECTION_STRING/;

/**
 * The registry's configuration as a snapshot keeps it (`config/settings.json`): every TORSH_*
 * variable except those that may hold a secret (a restore needs them supplied again anyway).
 */
export function registrySettings(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (name.startsWith('TORSH_') && value !== undefined && !SECRET.test(name)) out[name] = value;
  }
  return out;
}
