import pino from 'pino';

/**
 * One structured JSON line per event on stderr (pino). TORSH_LOG_LEVEL: fatal, error, warn,
 * info (default), debug, silent. Never log secrets: tokens, passwords, cookies, keys.
 */
export const logger = pino(
  {
    level: process.env.TORSH_LOG_LEVEL || 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  process.stderr,
);
