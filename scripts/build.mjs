// Bundles from one source tree: the VS Code extension (vscode is provided by the host), the CLI,
// and the report panel's browser script; and the web components the panel uses, copied into media/.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const common = { bundle: true, sourcemap: true, logLevel: 'warning' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };
mkdirSync('media', { recursive: true });
await Promise.all([
  // ssh2 is bundled (the .vsix ships no node_modules); its optional native speed-ups (cpu-features,
  // sshcrypto.node) stay external and ssh2 falls back to its pure-JS code when they are absent.
  build({ ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'cpu-features', '*.node'] }),
  // `osnet collect` (the SSH stack, half the CLI's code) is a bundle of its own that src/cli/main.ts
  // requires on demand: V8 compiles a whole script when it is loaded, so every other command
  // started tens of milliseconds slower for code it never runs.
  build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['cpu-features', '*.node', './runCollect'] }),
  build({ ...node, entryPoints: ['src/cli/runCollect.ts'], outfile: 'dist/runCollect.js', external: ['cpu-features', '*.node'] }),
  build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['src/webview/report.ts'], outfile: 'media/report.js', sourcemap: false }),
]);
// @vscode-elements/elements: the maintained successor of the sunset @vscode/webview-ui-toolkit.
copyFileSync('node_modules/@vscode-elements/elements/dist/bundled.js', 'media/vscode-elements.js');
console.log('build: dist/extension.js dist/cli.js dist/runCollect.js media/report.js media/vscode-elements.js');
