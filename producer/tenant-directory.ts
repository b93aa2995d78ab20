import { createHash } from 'node:crypto';

export interface TenantLimits {
  readonly eventsPerSecond: number;
  readonly bytesPerSecond: number;
  /** How many seconds of the rate a tenant may send at once. */
  readonly burstSeconds: number;
}

export interface Tenant {
  readonly environmentId: string;
  readonly limits: TenantLimits;
  /** Kill switch: the environment's events are refused until it is lifted. */
  readonly disabled: boolean;
}

/** The tenant file: keys are held only as SHA-256 hex digests. */
export interface TenantFile {
  readonly defaultLimits: TenantLimits;
  readonly environments: readonly {
    readonly id: string;
    readonly sdkKeySha256?: readonly string[];
    readonly mobileKeySha256?: readonly string[];
    readonly clientSideIds?: readonly string[];
    readonly limits?: Partial<TenantLimits>;
    readonly disabled?: boolean;
  }[];
}

export type Credential = 'sdkKey' | 'mobileKey' | 'clientSideId';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Array.isArray without its narrowing, which turns a typed readonly array into any[]. */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

const LIMIT_FIELDS = ['eventsPerSecond', 'bytesPerSecond', 'burstSeconds'] as const;

/** Every limit a positive finite number; defaults must name all three, so no limit goes missing unnoticed. */
function checkLimits(limits: Partial<TenantLimits>, path: string, required: boolean): void {
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new Error(`${path} must be an object`);
  }
  for (const name of Object.keys(limits)) {
    if (!(LIMIT_FIELDS as readonly string[]).includes(name)) {
      throw new Error(`${path}.${name} is not a limit; the limits are ${LIMIT_FIELDS.join(', ')}`);
    }
  }
  for (const field of LIMIT_FIELDS) {
    const value = limits[field];
    if (value === undefined && !required) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
      throw new Error(`${path}.${field} must be a positive number, got ${JSON.stringify(value) ?? 'nothing'}`);
    }
  }
}

/** Maps credentials to tenants; built from a validated TenantFile and replaced whole on refresh. */
export class TenantDirectory {
  private readonly bySdkKeyHash = new Map<string, Tenant>();
  private readonly byMobileKeyHash = new Map<string, Tenant>();
  private readonly byClientSideId = new Map<string, Tenant>();

  constructor(file: TenantFile) {
    if (typeof file !== 'object' || file === null) throw new Error('tenant file must be a JSON object');
    checkLimits(file.defaultLimits, 'defaultLimits', true);
    if (!isList(file.environments)) throw new Error('tenant file: environments must be an array');
    const defaults = file.defaultLimits;
    file.environments.forEach((environment, i) => {
      const path = `environments[${i}]`;
      if (typeof environment.id !== 'string' || environment.id.length === 0) {
        throw new Error(`${path}.id must be a non-empty string`);
      }
      checkLimits(environment.limits ?? {}, `${path}.limits`, false);
      const tenant: Tenant = {
        environmentId: environment.id,
        limits: { ...defaults, ...environment.limits },
        disabled: environment.disabled === true,
      };
      this.index(this.bySdkKeyHash, environment.sdkKeySha256, `${path}.sdkKeySha256`, tenant, true);
      this.index(this.byMobileKeyHash, environment.mobileKeySha256, `${path}.mobileKeySha256`, tenant, true);
      this.index(this.byClientSideId, environment.clientSideIds, `${path}.clientSideIds`, tenant, false);
    });
  }

  get size(): number {
    return new Set([...this.bySdkKeyHash.values(), ...this.byMobileKeyHash.values(), ...this.byClientSideId.values()])
      .size;
  }

  find(credential: Credential, value: string): Tenant | undefined {
    switch (credential) {
      case 'sdkKey':
        return this.bySdkKeyHash.get(sha256Hex(value));
      case 'mobileKey':
        return this.byMobileKeyHash.get(sha256Hex(value));
      case 'clientSideId':
        return this.byClientSideId.get(value);
    }
  }

  private index(
    map: Map<string, Tenant>,
    values: readonly string[] | undefined,
    path: string,
    tenant: Tenant,
    hashed: boolean,
  ): void {
    if (values === undefined) return;
    if (!isList(values)) throw new Error(`${path} must be an array of strings`);
    values.forEach((value, i) => {
      if (typeof value !== 'string' || (hashed ? !SHA256_HEX.test(value) : value.length === 0)) {
        throw new Error(`${path}[${i}] must be ${hashed ? 'a lower-case SHA-256 hex digest' : 'a non-empty string'}`);
      }
      if (map.has(value))
        throw new Error(`${path}[${i}] is already assigned to environment ${map.get(value)!.environmentId}`);
      map.set(value, tenant);
    });
  }
}
