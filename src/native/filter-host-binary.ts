// Where `make -C native/filter-host` puts the live engine (and its allocation-trap build).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HeadroomError } from '../errors.js';
import { FILTER_HOST_BUILD_DIR } from '../package-paths.js';

const buildDir = FILTER_HOST_BUILD_DIR;

export type FilterHostVariant = 'release' | 'rtcheck';

/** Path of the filter-host executable; a clear error when it has not been built. */
export function filterHostPath(variant: FilterHostVariant = 'release'): string {
  const file = path.join(buildDir, variant === 'release' ? 'headroom-filter-host' : 'headroom-filter-host-rtcheck');
  if (!existsSync(file)) {
    throw new HeadroomError('native_missing', `the filter-host is not built (${file} is missing)`, {
      hint: 'Install libpipewire-0.3-dev and libspa-0.2-dev, then run: npm run build:native',
      exitCode: 1,
    });
  }
  return file;
}
