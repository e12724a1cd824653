/**
 * The shell's dot commands (sqlite3-style): .help .open .spaces .schema .mode .timer .param
 * .explain .read .import .export .stats .quit. Each is a small handler over the Session.
 */
import { readFile } from 'node:fs/promises';
import { OUTPUT_MODES, type OutputMode } from '../format/index.js';
import { exportFile, importFile } from './import-export.js';
import type { DotHandler, Session } from './session.js';

interface DotSpec {
  usage: string;
  help: string;
  run: DotHandler;
}

function onOff(value: string | undefined, what: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`usage: .${what} on|off`);
}

function quoteIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_\-.:]*$/.test(name) ? name : `\`${name.replace(/`/g, '')}\``;
}

export const DOT_COMMANDS: Record<string, DotSpec> = {
  help: {
    usage: '.help',
    help: 'show this list',
    run: async (s) => s.io.out(helpText()),
  },
  open: {
    usage: '.open DIR',
    help: 'close the current database and open (or create) DIR',
    run: async (s, args) => {
      if (!args[0]) throw new Error('usage: .open DIR');
      await s.openDir(args[0]);
      s.io.err(`opened ${args[0]}`);
    },
  },
  spaces: {
    usage: '.spaces',
    help: 'list spaces (SHOW SPACES)',
    run: async (s) => void (await s.runStatement('SHOW SPACES')),
  },
  schema: {
    usage: '.schema [SPACE]',
    help: 'print CREATE SPACE statements that recreate the spaces',
    run: async (s, args) => {
      const r = await s.requireDb().query('SHOW SPACES');
      const rows = r.rows.filter((row) => !args[0] || row.name === args[0]);
      if (args[0] && rows.length === 0) throw Object.assign(new Error(`unknown space '${args[0]}'`), { code: 'UNKNOWN_SPACE' });
      for (const row of rows) {
        s.io.out(
          `CREATE SPACE ${quoteIdent(String(row.name))} DIM ${row.dim} METRIC ${String(row.metric).toUpperCase()} DECAY ${row.decay};`,
        );
      }
    },
  },
  mode: {
    usage: '.mode table|json|csv|line',
    help: 'set the output mode',
    run: async (s, args) => {
      if (!args[0]) return s.io.out(`current output mode: ${s.mode}`);
      if (!OUTPUT_MODES.includes(args[0] as OutputMode)) throw new Error(`usage: .mode ${OUTPUT_MODES.join('|')}`);
      s.mode = args[0] as OutputMode;
    },
  },
  timer: {
    usage: '.timer on|off',
    help: 'show the time each statement took',
    run: async (s, args) => void (s.timer = onOff(args[0], 'timer')),
  },
  param: {
    usage: '.param set $NAME VALUE | .param list | .param clear',
    help: 'manage parameters bound to later statements (VALUE is JSON or text)',
    run: async (s, args, raw) => {
      if (args[0] === 'set' && args[1] && args.length >= 3) {
        const value = raw.replace(/^set\s+\S+\s+/, '');
        s.params.set(args[1], value);
      } else if (args[0] === 'list') {
        for (const [k, v] of s.params.list()) s.io.out(`$${k} = ${JSON.stringify(v)}`);
      } else if (args[0] === 'clear') {
        s.params.clear();
      } else throw new Error('usage: .param set $NAME VALUE | .param list | .param clear');
    },
  },
  explain: {
    usage: '.explain on|off',
    help: 'show the plan of each statement instead of running it',
    run: async (s, args) => void (s.explain = onOff(args[0], 'explain')),
  },
  read: {
    usage: '.read FILE',
    help: 'run the statements in FILE',
    run: async (s, args) => {
      if (!args[0]) throw new Error('usage: .read FILE');
      await s.runScript(await readFile(args[0], 'utf8'));
    },
  },
  import: {
    usage: '.import FILE.jsonl|FILE.csv [SPACE]',
    help: 'remember every record of a JSON-lines or CSV file (columns: id, content, embedding, confidence, at, kind, meta)',
    run: async (s, args) => {
      if (!args[0]) throw new Error('usage: .import FILE.jsonl|FILE.csv [SPACE]');
      const n = await importFile(s, args[0], args[1]);
      s.io.err(`imported ${n} memories`);
    },
  },
  export: {
    usage: '.export FILE [SPACE]',
    help: 'write every memory of a space to FILE as JSON lines (.csv for CSV)',
    run: async (s, args) => {
      if (!args[0]) throw new Error('usage: .export FILE [SPACE]');
      const n = await exportFile(s, args[0], args[1]);
      s.io.err(`exported ${n} memories`);
    },
  },
  stats: {
    usage: '.stats',
    help: 'show database statistics (SHOW STATS)',
    run: async (s) => void (await s.runStatement('SHOW STATS')),
  },
  quit: { usage: '.quit', help: 'exit the shell', run: async () => 'quit' },
  exit: { usage: '.exit', help: 'exit the shell', run: async () => 'quit' },
};

export function helpText(): string {
  const width = Math.max(...Object.values(DOT_COMMANDS).map((d) => d.usage.length));
  const lines = Object.values(DOT_COMMANDS).map((d) => `${d.usage.padEnd(width)}  ${d.help}`);
  return [...lines, '', 'Statements end with ";" and may span lines. Ctrl-C cancels, Ctrl-D exits.'].join('\n');
}

export function dotHandlers(): Map<string, DotHandler> {
  return new Map(Object.entries(DOT_COMMANDS).map(([k, v]) => [k, v.run]));
}

export function dotNames(): string[] {
  return Object.keys(DOT_COMMANDS).map((k) => `.${k}`);
}

export type { Session };
