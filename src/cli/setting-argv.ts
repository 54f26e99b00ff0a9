// `headroom set` reads its arguments as a person writes them: `set agc.target_lufs -16`
// (a negative number is a value, not a flag) and `set agc.target_lufs=-16`.
export function settingArgv(argv: readonly string[]): string[] {
  const flags = argv.filter((a) => a.startsWith('--'));
  const positional = argv.filter((a) => !a.startsWith('--'));
  const eq = positional.length === 1 ? positional[0]!.indexOf('=') : -1;
  const args = eq > 0 ? [positional[0]!.slice(0, eq), positional[0]!.slice(eq + 1)] : positional;
  return [...flags, '--', ...args];
}
