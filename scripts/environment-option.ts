import type { EnvironmentConfig } from '../lib/config/environment-config';
import { ENVIRONMENTS } from '../lib/config/environments';
import { UsageError } from './command';

/** The environment of lib/config an `--env` names (other than local), or a usage error that lists them. */
export function deployedEnvironment(name: string | undefined): EnvironmentConfig {
  const config = ENVIRONMENTS.find((each) => each.name === name);
  if (!config) {
    const names = ENVIRONMENTS.map((each) => each.name).join(', ');
    throw new UsageError(`--env must be local or one of ${names}, got ${JSON.stringify(name)}`);
  }
  return config;
}
