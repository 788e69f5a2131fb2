import { parseArgs } from 'node:util';
import { processIo, type CliIo } from './CliIo';
import { runExplainVip } from './runExplainVip';
import { runParse } from './runParse';
import { runTrace } from './runTrace';

const USAGE = `osnet — OpenStack Net Debug on the command line

Usage:
  osnet parse FILE_OR_DIR... [--format NAME] [--json]
      Detect each dump's format, parse it, print a summary and every diagnostic.
  osnet trace SNAPSHOT (--in DEVICE [--netns NS] | --bridge BR --in-port PORT) PACKET [--ct STATE] [--json]
      Follow one packet through the host's saved state.
  osnet collect [user@]HOST [-p PORT] [-J JUMP] [-i KEY] [--accept-new] [--timeout S] -o DIR
  osnet collect --local -o DIR
      Collect a host's network state over SSH (one read-only exec) into a snapshot folder.
  osnet explain-vip SNAPSHOT... --vip IP [--port PORT]... [--fip IP] [--client IP] [--dport N] [--json]
      Explain why traffic for a VIP is dropped: which rule, on which layer, why, and the fix.
  osnet --help
`;

/** Runs the CLI; returns the exit code (0 ok, 1 problems found, 2 usage error). Never throws on bad input. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  try {
    switch (command) {
      case 'parse': {
        const { values, positionals } = parseArgs({ args: [...rest], allowPositionals: true, options: { format: { type: 'string' }, json: { type: 'boolean', default: false } } });
        return await runParse({ paths: positionals, json: values.json ?? false, ...(values.format !== undefined ? { format: values.format } : {}) }, io);
      }
      case 'explain-vip': {
        return await runExplainVip(rest, io);
      }
      case 'trace': {
        return await runTrace(rest, io);
      }
      case 'collect': {
        // Loaded on demand: the SSH stack (ssh2) costs every other command tens of milliseconds at
        // startup. The build leaves it out of dist/cli.js (scripts/build.mjs bundles it as
        // dist/runCollect.js, found beside cli.js). require, not import(): under tsx's CommonJS
        // hook (the tests) import() goes to Node's ESM resolver, which needs extensions.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { runCollect } = require('./runCollect') as typeof import('./runCollect');
        return await runCollect(rest, io);
      }
      default:
        io.err(`osnet: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    // parseArgs rejects unknown options by throwing: that is a usage error, not a crash.
    if (err instanceof TypeError && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`osnet ${command}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
