/**
 * Command-line arguments of `mnemo`: `mnemo [DIR] [-c STATEMENT]... [-f SCRIPT] [--json] [--mode M]
 * [--bail] [--demo] [--read-only] [--durability D] [--help] [--version]`.
 */
import { OUTPUT_MODES, type OutputMode } from '../format/index.js';

export interface CliArgs {
  dir?: string;
  commands: string[];
  files: string[];
  mode?: OutputMode;
  bail: boolean;
  demo: boolean;
  readOnly: boolean;
  durability?: 'full' | 'normal' | 'off';
  help: boolean;
  version: boolean;
  noColor: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function takeValue(argv: string[], i: number, flag: string): string {
  const v = argv[i + 1];
  if (v === undefined) throw new UsageError(`${flag} needs a value (see mnemo --help)`);
  return v;
}

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { commands: [], files: [], bail: false, demo: false, readOnly: false, help: false, version: false, noColor: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = takeValue(argv, i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '-c':
      case '--command':
        out.commands.push(value());
        break;
      case '-f':
      case '--file':
        out.files.push(value());
        break;
      case '--json':
        out.mode = 'json';
        break;
      case '--mode': {
        const m = value();
        if (!OUTPUT_MODES.includes(m as OutputMode)) throw new UsageError(`unknown mode '${m}': use one of ${OUTPUT_MODES.join(', ')}`);
        out.mode = m as OutputMode;
        break;
      }
      case '--durability': {
        const d = value();
        if (d !== 'full' && d !== 'normal' && d !== 'off') throw new UsageError(`unknown durability '${d}': use full, normal or off`);
        out.durability = d;
        break;
      }
      case '--bail':
        out.bail = true;
        break;
      case '--demo':
        out.demo = true;
        break;
      case '--read-only':
        out.readOnly = true;
        break;
      case '--no-color':
        out.noColor = true;
        break;
      case '-h':
      case '--help':
        out.help = true;
        break;
      case '-V':
      case '--version':
        out.version = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}' (see mnemo --help)`);
        if (out.dir !== undefined) throw new UsageError(`only one database directory may be given (got '${out.dir}' and '${a}')`);
        out.dir = a;
    }
  }
  return out;
}
