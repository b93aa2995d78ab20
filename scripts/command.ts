import { parseArgs } from 'node:util';

export interface CommandOption {
  readonly type: 'string' | 'boolean';
  readonly default?: string | boolean;
  /** What the value stands for in the help, such as `N` or `ISO-TIME`; boolean flags have none. */
  readonly value?: string;
  readonly required?: boolean;
  readonly description: string;
}

export interface CommandSpec<Options extends Record<string, CommandOption>> {
  /** How it is run, such as `npm run plan`. */
  readonly name: string;
  readonly summary: string;
  /** Words before the options, such as `flag|contexts`. */
  readonly positionals?: string;
  readonly options: Options;
  readonly examples: readonly string[];
  /** Anything else worth knowing: where it finds things, what it needs running. */
  readonly notes?: string;
}

/** A mistake on the command line: reported with a pointer to `--help`, and exit code 2. */
export class UsageError extends Error {}

type Parsed<Options extends Record<string, CommandOption>> = ReturnType<
  typeof parseArgs<{ options: Options; allowPositionals: true }>
>;

const flagOf = (name: string, option: CommandOption) => `--${name}${option.value ? ` ${option.value}` : ''}`;

/** Words wrapped at 110 columns, as the rest of the help is. */
function wrapped(text: string): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + word.length < 110) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

export function helpText(spec: CommandSpec<Record<string, CommandOption>>): string {
  const options = Object.entries(spec.options);
  const rows = options.map(([name, option]) => {
    const fallback = option.default === undefined || option.type === 'boolean' ? '' : ` (default ${option.default})`;
    const needed = option.required ? ' (required)' : '';
    return [flagOf(name, option), `${option.description}${needed}${fallback}`];
  });
  rows.push(['--help', 'this help']);
  const width = Math.max(...rows.map(([flag]) => flag!.length));
  const requiredFlags = options.filter(([, option]) => option.required).map(([name, option]) => flagOf(name, option));
  return [
    ['usage:', spec.name, '--', spec.positionals, ...requiredFlags, '[options]'].filter(Boolean).join(' '),
    wrapped(spec.summary),
    '',
    'options:',
    ...rows.map(([flag, description]) => `  ${flag!.padEnd(width)}  ${description}`),
    '',
    spec.examples.length === 1 ? 'example:' : 'examples:',
    ...spec.examples.map((example) => `  ${example}`),
    ...(spec.notes ? ['', wrapped(spec.notes)] : []),
  ].join('\n');
}

/**
 * The command line parsed against the spec. A value that starts with a dash (`--from -2h`, or a negative number
 * for its own error) is taken as the option's value: node's parseArgs would refuse it as ambiguous.
 */
export function parseCommand<Options extends Record<string, CommandOption>>(
  spec: CommandSpec<Options>,
  argv: readonly string[],
): Parsed<Options> {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.startsWith('--') ? argv[i]!.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && spec.options[name]?.type === 'string' && next?.startsWith('-') && !next.startsWith('--')) {
      args.push(`--${name}=${next}`);
      i++;
    } else {
      args.push(argv[i]!);
    }
  }
  let parsed: Parsed<Options>;
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  } catch (error) {
    const typed = /'([^']+)'/.exec((error as Error).message)?.[1] ?? '';
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${spec.name} has no option ${typed}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = typed.split(' ')[0]!;
      const option = spec.options[flag.replace(/^-+/, '')];
      throw new UsageError(
        option?.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value (${option?.value ?? 'a value'})`,
      );
    }
    throw new UsageError((error as Error).message);
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.required && !(parsed.values as Record<string, unknown>)[name]) {
      throw new UsageError(`${flagOf(name, option)} is required`);
    }
  }
  return parsed;
}

/**
 * Runs a script's main with its command line: `--help` prints the help; a usage mistake says what is wrong and
 * where the help is (exit 2); any other failure prints its message alone (exit 1), never a stack.
 */
export function runCommand<Options extends Record<string, CommandOption>>(
  spec: CommandSpec<Options>,
  main: (parsed: Parsed<Options>) => Promise<void> | void,
  argv: readonly string[] = process.argv.slice(2),
): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(helpText(spec));
    return;
  }
  Promise.resolve()
    .then(() => main(parseCommand(spec, argv)))
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof UsageError) {
        console.error(`${message}\n(${spec.name} -- --help lists the options, with an example)`);
        process.exit(2);
      }
      console.error(message);
      process.exit(1);
    });
}

/** A number option as typed, or a usage error naming the flag and the value. */
export function numberOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    throw new UsageError(`--${flag} must be a number, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/**
 * A progress line for an update a second: redrawn in place on a terminal; written as a line of its own every
 * `everyUpdates` updates elsewhere (a file, a pipe), where carriage returns would run every update into one line.
 */
export function progressLine(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout, everyUpdates = 5) {
  let updates = 0;
  return {
    update(text: string): void {
      updates++;
      if (stream.isTTY) stream.write(`\r${text}\x1b[K`);
      else if (updates % everyUpdates === 0) stream.write(`${text}\n`);
    },
    done(text: string): void {
      stream.write(stream.isTTY ? `\r${text}\x1b[K\n` : `${text}\n`);
    },
  };
}
