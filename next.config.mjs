/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native module and zip readers stay outside the server bundle.
  serverExternalPackages: ['better-sqlite3', 'yauzl', 'yazl', 'pino', 'prom-client'],
  poweredByHeader: false,
  // The repository holds other lockfiles-free folders; pin the root so Next does not guess.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
