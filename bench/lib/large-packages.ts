// Phase 1 of the registry benchmark: publish and download one large package size, beside
// `cat | tee | openssl` (publish) and nginx serving the same file (download).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { bearer, fail, versionUrl, type BenchContext } from './bench-context';
import { fmt, MB } from './format';
import { download } from './http-client';
import { makeModelFile, makePackage } from './make-package';
import { curlDownload, curlPublish, referencePipeline } from './reference';
import { syncDisks } from './run-command';
import type { SizeResult } from './write-results';

const lastMBps = (xs: number[]) => fmt(xs[xs.length - 1] / MB);

export async function benchSize(ctx: BenchContext, mib: number): Promise<SizeResult> {
  const { log } = ctx;
  let t0 = Date.now();
  const modelFile = await makeModelFile(ctx.pkgDir, mib);
  log(`${mib} MiB: random model file written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const r: SizeResult = { mib, packageBytes: 0, digest: '', publish: [], reference: [], download: [], nginx: [], nodeDownload: [], hashedDownload: 0 };
  try {
    for (let rep = 0; rep < ctx.repeats; rep++) {
      // A fresh version per repetition: versions are immutable, and the manifest must match the URL.
      t0 = Date.now();
      const pkg = await makePackage(ctx.pkgDir, mib, `1.0.${rep}`, modelFile);
      const label = `${pkg.name}@${pkg.version}`;
      log(`${label}: package built (${pkg.bytes} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      try {
        syncDisks();
        const ref = await referencePipeline(pkg.file, path.join(ctx.pkgDir, 'reference-copy.bin'));
        r.reference.push(pkg.bytes / ref.seconds);
        syncDisks();
        const pub = await curlPublish(versionUrl(ctx.baseUrl, pkg), pkg.file, ctx.token);
        if (pub.status !== 201) fail(`publish of ${label} answered ${pub.status}: ${pub.body.slice(0, 500)}`);
        if (pub.digest !== ref.sha256) fail(`publish digest ${pub.digest} differs from the file's ${ref.sha256}`);
        if (pub.size !== pkg.bytes) fail(`publish reported size ${pub.size}, the file has ${pkg.bytes} bytes`);
        r.publish.push(pkg.bytes / pub.seconds);
        // Flush the just-stored blob so background writeback does not compete with the downloads.
        syncDisks();

        if (rep === 0) {
          r.packageBytes = pkg.bytes;
          r.digest = pub.digest;
          const checked = await download(ctx.baseUrl, pkg.name, pkg.version, true, ctx.token);
          if (checked.status !== 200) fail(`download of ${label} answered ${checked.status}`);
          if (checked.bytes !== pkg.bytes) fail(`download of ${label} gave ${checked.bytes} bytes, expected ${pkg.bytes}`);
          if (checked.sha256 !== pub.digest) fail(`downloaded sha256 ${checked.sha256} differs from the published ${pub.digest}`);
          if (checked.headerDigest !== null && checked.headerDigest !== pub.digest) fail(`X-Torsh-Digest ${checked.headerDigest} differs from ${pub.digest}`);
          r.hashedDownload = pkg.bytes / checked.seconds;
        }
        syncDisks();
        const timed = await download(ctx.baseUrl, pkg.name, pkg.version, false, ctx.token);
        if (timed.status !== 200 || timed.bytes !== pkg.bytes) fail(`download of ${label}: ${timed.status}, ${timed.bytes} bytes, expected ${pkg.bytes}`);
        r.nodeDownload.push(pkg.bytes / timed.seconds);

        const ours = await curlDownload(`${versionUrl(ctx.baseUrl, pkg)}/download`, bearer(ctx));
        if (ours.status !== 200 || ours.bytes !== pkg.bytes) fail(`curl download of ${label}: ${ours.status}, ${ours.bytes} bytes`);
        r.download.push(ours.bytesPerSecond);
        const ref2 = await curlDownload(`${ctx.nginx.baseUrl}/${path.basename(pkg.file)}`);
        if (ref2.status !== 200 || ref2.bytes !== pkg.bytes) fail(`nginx download of ${pkg.file}: ${ref2.status}, ${ref2.bytes} bytes`);
        r.nginx.push(ref2.bytesPerSecond);
        log(
          `${label}: reference ${lastMBps(r.reference)}, publish ${lastMBps(r.publish)} (ratio ${(r.publish[rep] / r.reference[rep]).toFixed(2)}), ` +
            `download ${lastMBps(r.download)} (nginx ${lastMBps(r.nginx)}, node ${lastMBps(r.nodeDownload)}) MB/s`,
        );
      } finally {
        await rm(pkg.file, { force: true });
      }
    }
  } finally {
    await rm(modelFile, { force: true });
  }
  return r;
}
