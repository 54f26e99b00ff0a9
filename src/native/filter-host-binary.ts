// Where `make -C native/filter-host` puts the live engine (and its allocation-trap build; and,
// after `make -C native/filter-host floor`, bench:live's reference, which runs no DSP).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HeadroomError } from '../errors.js';
import { FILTER_HOST_BUILD_DIR } from '../package-paths.js';

const buildDir = FILTER_HOST_BUILD_DIR;

export type FilterHostVariant = 'release' | 'rtcheck' | 'floor';

const FILES: Record<FilterHostVariant, string> = { release: 'headroom-filter-host', rtcheck: 'headroom-filter-host-rtcheck', floor: 'headroom-filter-host-floor' };

/** Path of the filter-host executable; a clear error when it has not been built. */
export function filterHostPath(variant: FilterHostVariant = 'release'): string {
  const file = path.join(buildDir, FILES[variant]);
  if (!existsSync(file)) {
    throw new HeadroomError('native_missing', `the filter-host is not built (${file} is missing)`, {
      hint: 'Install libpipewire-0.3-dev and libspa-0.2-dev, then run: npm run build:native',
      exitCode: 1,
    });
  }
  return file;
}
