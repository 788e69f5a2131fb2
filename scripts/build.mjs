// Two bundles from one source tree: the VS Code extension (vscode is provided by the host) and
// the CLI. ssh2 stays external: it loads optional native addons at run time.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'ssh2'] }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['ssh2'] }),
]);
console.log('build: dist/extension.js dist/cli.js');
