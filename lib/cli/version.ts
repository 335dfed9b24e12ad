/** Sent as the User-Agent and shown by `torsh --version`. */
export const CLI_VERSION = '0.1.0';
