/**
 * Process entry of the `mnemo` command (bin/mnemo.js imports this): wires the CLI to the
 * @mnemo/query host API and to the real stdin/stdout/stderr.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { open, KEYWORD_NAMES } from '@mnemo/query';
import { main } from '../cli/main.js';

const pkg = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

process.exitCode = await main(process.argv.slice(2), {
  open: (dir, options) => open(dir, options),
  keywords: KEYWORD_NAMES,
  version: pkg.version,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
