/**
 * The command line with `--name -2h` written as `--name=-2h` for string options: node's parseArgs refuses a value
 * that starts with a dash as ambiguous, and a time back from now or a negative number (for its own error) does.
 */
export function commandLineArgs(options: Record<string, { type: 'string' | 'boolean' }>, argv = process.argv.slice(2)) {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.startsWith('--') ? argv[i]!.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next?.startsWith('-') && !next.startsWith('--')) {
      args.push(`--${name}=${next}`);
      i++;
    } else {
      args.push(argv[i]!);
    }
  }
  return args;
}
