// Reads unlabelled sample values out of a /metrics scrape (Prometheus text format).
export async function promValues(baseUrl: string, token: string, names: string[]): Promise<Record<string, number>> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const name of names) {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`/metrics has no ${name}`);
    out[name] = Number(line.slice(name.length + 1));
  }
  return out;
}
