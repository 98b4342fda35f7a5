// The Redis version whose commands and replies this server reproduces (what INFO and HELLO
// report, so that clients pick the right features), and this package's own version.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg: { version: string } = require('../../package.json');

export const REDIS_VERSION = '7.0.15';
export const PACKAGE_VERSION = pkg.version;
