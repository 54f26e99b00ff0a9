// Where the installed package's own files are, computed once from this module's place
// (src/ in a clone run through a loader, dist/ once built: one level under the root).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The CLI entry point (what `headroom` runs). */
export const CLI_BIN = path.join(PACKAGE_ROOT, 'bin', 'run.js');
export const BUILTIN_PROFILES_DIR = path.join(PACKAGE_ROOT, 'profiles');
export const FILTER_HOST_BUILD_DIR = path.join(PACKAGE_ROOT, 'native', 'filter-host', 'build');
export const DSP_ADDON = path.join(PACKAGE_ROOT, 'native', 'addon', 'build', 'Release', 'headroom_dsp.node');
export const PACKAGE_JSON = path.join(PACKAGE_ROOT, 'package.json');
