/**
 * The archive line's fields, as one definition: the Glue table's columns (Athena) and the local query's columns
 * (DuckDB) are both rendered from it, and the archive transform's tests check every line it writes against it.
 * `json` is a field holding any JSON value (a flag value, a reason, custom data), kept as its JSON text.
 */
export type ArchiveType =
  | 'string'
  | 'bigint'
  | 'int'
  | 'double'
  | 'boolean'
  | 'json'
  | { readonly array: ArchiveType }
  | { readonly map: ArchiveType }
  | { readonly struct: Readonly<Record<string, ArchiveType>> };

const CONTEXTS: ArchiveType = {
  array: {
    struct: {
      kind: 'string',
      key: 'string',
      name: 'string',
      anonymous: 'boolean',
      attributes: 'json',
      redactedAttributes: { array: 'string' },
    },
  },
};

/** Every field an archive line may have (a line has those of its kind; the rest read as null). */
export const ARCHIVE_COLUMNS: Readonly<Record<string, ArchiveType>> = {
  environmentId: 'string',
  receivedAt: 'bigint',
  payloadId: 'string',
  sdk: 'string',
  endpoint: 'string',
  tags: 'string',
  wrapper: 'string',
  kind: 'string',
  creationDate: 'bigint',
  key: 'string',
  version: 'int',
  variation: 'int',
  value: 'json',
  default: 'json',
  reason: 'json',
  prereqOf: 'string',
  contexts: CONTEXTS,
  contextKeys: { array: { struct: { kind: 'string', key: 'string' } } },
  data: 'json',
  metricValue: 'double',
  url: 'string',
  selector: 'string',
  startDate: 'bigint',
  endDate: 'bigint',
  flags: {
    array: {
      struct: {
        key: 'string',
        default: 'json',
        contextKinds: { array: 'string' },
        counters: {
          array: {
            struct: { value: 'json', variation: 'int', version: 'int', count: 'bigint', unknown: 'boolean' },
          },
        },
      },
    },
  },
  operation: 'string',
  evaluation: 'json',
  measurements: 'json',
  contextKind: 'string',
  previousKey: 'string',
  previousContextKind: 'string',
  body: 'json',
};

/** The partitions the archive's prefix names, in order: `environment=…/dt=yyyy-MM-dd/hour=HH/`. */
export const ARCHIVE_PARTITIONS = ['environment', 'dt', 'hour'] as const;
/** The table both engines query the archive as. */
export const ARCHIVE_TABLE = 'events';

/** A type as a Glue (Hive) column type; field names lower-case, as the catalog keeps them. */
export function glueType(type: ArchiveType): string {
  if (typeof type === 'string') return type === 'json' ? 'string' : type;
  if ('array' in type) return `array<${glueType(type.array)}>`;
  if ('map' in type) return `map<string,${glueType(type.map)}>`;
  const fields = Object.entries(type.struct).map(([name, field]) => `${name.toLowerCase()}:${glueType(field)}`);
  return `struct<${fields.join(',')}>`;
}

const DUCKDB_SCALARS = {
  string: 'VARCHAR',
  json: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
} as const;

/** A type as DuckDB's `read_json` takes it: a JSON value in a VARCHAR column reads as its JSON text. */
export function duckDbType(type: ArchiveType): string {
  if (typeof type === 'string') return DUCKDB_SCALARS[type];
  if ('array' in type) return `${duckDbType(type.array)}[]`;
  if ('map' in type) return `MAP(VARCHAR, ${duckDbType(type.map)})`;
  const fields = Object.entries(type.struct).map(([name, field]) => `"${name}" ${duckDbType(field)}`);
  return `STRUCT(${fields.join(', ')})`;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
}

function checkValue(path: string, type: ArchiveType, value: unknown, problems: string[]): void {
  if (value === null || type === 'json') return;
  const wrong = (expected: string) => problems.push(`${path} should be ${expected}, got ${describe(value)}`);
  if (type === 'string') {
    if (typeof value !== 'string') wrong('a string');
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') wrong('a boolean');
  } else if (type === 'bigint' || type === 'int') {
    const limit = type === 'int' ? 2 ** 31 : Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) >= limit) wrong(`an ${type}`);
  } else if (type === 'double') {
    if (typeof value !== 'number') wrong('a number');
  } else if ('array' in type) {
    if (!Array.isArray(value)) return void wrong('an array');
    value.forEach((item, i) => checkValue(`${path}[${i}]`, type.array, item, problems));
  } else if (typeof value !== 'object' || Array.isArray(value)) {
    wrong('an object');
  } else if ('map' in type) {
    for (const [key, item] of Object.entries(value)) checkValue(`${path}.${key}`, type.map, item, problems);
  } else {
    checkFields(path, type.struct, value as Record<string, unknown>, problems);
  }
}

function checkFields(
  path: string,
  fields: Readonly<Record<string, ArchiveType>>,
  value: Record<string, unknown>,
  problems: string[],
): void {
  for (const [name, field] of Object.entries(value)) {
    const type = fields[name];
    const at = path ? `${path}.${name}` : name;
    if (type === undefined) problems.push(`${at} is not a column of the archive table`);
    else checkValue(at, type, field, problems);
  }
}

/** What keeps a line from reading as the table declares it: fields it lacks a column for, values of another type. */
export function archiveLineProblems(line: string): string[] {
  const problems: string[] = [];
  checkFields('', ARCHIVE_COLUMNS, JSON.parse(line) as Record<string, unknown>, problems);
  return problems;
}
