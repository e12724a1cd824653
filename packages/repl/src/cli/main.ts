/**
 * `mnemo` entry point: parse arguments, open the database (or build the demo), then run -c/-f
 * statements, a piped script on stdin, or the interactive shell on a terminal. Exit code 0 when
 * every statement succeeded, 1 when any failed (at the first failure with --bail), 2 on usage errors.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, UsageError, type CliArgs } from './args.js';
import { Session } from '../session/session.js';
import { dotHandlers, dotNames } from '../session/dot-commands.js';
import type { OpenDatabase, ShellIO } from '../session/types.js';
import { buildDemo, demoDataDir } from '../demo/build-demo.js';
import { runInteractive } from '../shell/interactive.js';
import { historyPath } from '../shell/history.js';
import { formatError } from '../session/errors.js';

export const DEFAULT_DIR = 'mnemo-data';

export interface MainDeps {
  open: OpenDatabase;
  keywords: readonly string[];
  version: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export function helpText(version: string): string {
  return `mnemo ${version} — the Mnemo memory database shell

Usage: mnemo [DIR] [options]

  DIR                 database directory, created if missing (default: ./${DEFAULT_DIR};
                      with --demo: a fresh demo database in a temporary directory)
  -c, --command STMT  run STMT (repeatable; runs in order), then exit
  -f, --file SCRIPT   run the statements in SCRIPT (repeatable), then exit
  --json              print one JSON document per statement: {"columns","rows","stats"}
  --mode MODE         output mode: table (default), json, csv, line
  --bail              stop at the first failing statement
  --demo              open a demo database: three weeks of an assistant's conversations
  --read-only         open the database read-only
  --durability MODE   full (default: acknowledged writes survive power loss), normal, off
  --no-color          no colours (also when NO_COLOR is set or output is not a terminal)
  -h, --help          this help
  -V, --version       print the version

With neither -c nor -f, statements are read from stdin when it is not a terminal, and the
interactive shell opens when it is (type .help there). Errors go to stderr with their code,
position and a caret. Exit status: 0 if every statement succeeded, 1 otherwise, 2 for bad usage.

Examples:
  mnemo --demo
  mnemo ./memories -c "REMEMBER 'the user likes oat milk'" -c "RECALL 'milk' LIMIT 3"
  mnemo ./memories --json -f script.mql
  echo "SHOW SPACES;" | mnemo ./memories`;
}

function makeIO(deps: MainDeps, noColor: boolean): ShellIO {
  const color = deps.stdout.isTTY === true && !noColor && deps.env.NO_COLOR === undefined;
  return {
    out: (t) => void deps.stdout.write(`${t}\n`),
    err: (t) => void deps.stderr.write(color && !t.startsWith('\r') ? `\x1b[31m${t}\x1b[0m\n` : t.startsWith('\r') ? t : `${t}\n`),
    // A terminal: fit tables to it. A pipe or file: no truncation (long lines are the reader's choice).
    width: () => (deps.stdout.isTTY ? (deps.stdout.columns ?? 100) : Number.POSITIVE_INFINITY),
    color,
    errIsTTY: deps.stderr.isTTY === true,
  };
}

async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function openTarget(session: Session, args: CliArgs, io: ShellIO): Promise<void> {
  if (args.demo) {
    const dir = args.dir ?? mkdtempSync(path.join(tmpdir(), 'mnemo-demo-'));
    const fresh = !existsSync(path.join(dir, 'catalog.db'));
    await session.openDir(dir);
    if (fresh) {
      const n = await buildDemo(session.requireDb());
      io.err(`demo database in ${dir}: ${n.memories} memories, ${n.associations} associations`);
    }
    return;
  }
  await session.openDir(args.dir ?? DEFAULT_DIR);
}

export async function main(argv: string[], deps: MainDeps): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    deps.stderr.write(`mnemo: ${e.message}\n`);
    return 2;
  }
  if (args.help) return void deps.stdout.write(`${helpText(deps.version)}\n`), 0;
  if (args.version) return void deps.stdout.write(`${deps.version}\n`), 0;
  const io = makeIO(deps, args.noColor);
  const session = new Session(
    { open: deps.open, io, mode: args.mode ?? 'table', readOnly: args.readOnly, ...(args.durability ? { durability: args.durability } : {}) },
    dotHandlers(),
  );
  try {
    await openTarget(session, args, io);
  } catch (e) {
    io.err(formatError(e));
    return 1;
  }
  try {
    if (args.commands.length > 0 || args.files.length > 0) {
      for (const c of args.commands) if (!(await session.runScript(c, args.bail)) && args.bail) return 1;
      for (const f of args.files) if (!(await session.runScript(readFileSync(f, 'utf8'), args.bail)) && args.bail) return 1;
    } else if (deps.stdin.isTTY !== true) {
      const piped = await readStdin(deps.stdin);
      if (args.demo && piped.trim() === '') await runTour(session, io, args.bail);
      else await session.runScript(piped, args.bail);
    } else {
      const completion = completionSource(session, deps.keywords);
      await runInteractive(session, {
        input: deps.stdin,
        output: deps.stdout,
        historyFile: historyPath(deps.env),
        color: io.color,
        completion,
        afterStatement: completion.markStale,
        banner: `mnemo ${deps.version} — ${session.dir}. Type .help for commands, statements end with ';'.${
          args.demo ? `\nTry: RECALL 'oat milk' LIMIT 3;  SPREAD FROM e20;  PREDICT * GIVEN e29;  CONSOLIDATE * SIMILARITY 0.5;` : ''
        }`,
      });
    }
    return session.failures > 0 ? 1 : 0;
  } catch (e) {
    io.err(formatError(e));
    return 1;
  } finally {
    await session.close();
  }
}

/** The demo without a terminal and without input: print each tour statement, then its result. */
async function runTour(session: Session, io: ShellIO, bail: boolean): Promise<void> {
  const tour = readFileSync(path.join(demoDataDir(), 'tour.mql'), 'utf8');
  for (const chunk of tour.split(/\n(?=--)/)) {
    const comment = chunk.match(/^--.*$/gm)?.join('\n') ?? '';
    const statement = chunk.replace(/^--.*$/gm, '').trim();
    if (statement === '') continue;
    io.out(`\n${comment}\nmnemo> ${statement}`);
    if (!(await session.runScript(statement, bail)) && bail) return;
  }
}

/**
 * Completion data (space names, memory ids) read from the database lazily: a statement only marks
 * it stale, and the next Tab refreshes it — listing ids scans the space, which must not run after
 * every statement on a large database.
 */
function completionSource(session: Session, keywords: readonly string[]) {
  let spaces: string[] = [];
  let ids: string[] = [];
  let stale = true;
  const prepare = async (): Promise<void> => {
    const db = session.db;
    if (!stale || !db) return;
    stale = false;
    try {
      spaces = (await db.query('SHOW SPACES')).rows.map((r) => String(r.name));
      ids = (await db.query('RECALL * ORDER BY id ASC LIMIT 5000 NO REINFORCE')).rows.map((r) => String(r.id));
    } catch {
      stale = true; // e.g. the database was closed meanwhile: try again on the next Tab
    }
  };
  const markStale = (): void => {
    stale = true;
  };
  return { keywords, dotCommands: dotNames(), spaces: () => spaces, memoryIds: () => ids, prepare, markStale };
}
