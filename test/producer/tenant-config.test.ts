import { rm, writeFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { fileSource, RefreshingTenantConfig, s3Source } from '../../producer/tenant-config-source';
import { sha256Hex, TenantDirectory, TenantLimits } from '../../producer/tenant-directory';
import { startLocalS3 } from '../support/local-s3';
import { testTenantFile, TEST_TENANTS, writeTenantFile } from '../support/producer-harness';

describe('tenant config', () => {
  it('keeps serving the last good copy when a refresh fails, and takes the next good one', async () => {
    // given
    const path = await writeTenantFile();
    const errors: string[] = [];
    const config = new RefreshingTenantConfig(fileSource(path), 60_000, (error) => errors.push(error.message));
    await config.start();
    try {
      // when: the file disappears, then comes back broken, then comes back with a new environment
      await rm(path);
      await config.refresh();
      await writeFile(path, '{ "environments": [');
      await config.refresh();

      // then: still the first copy
      expect(errors).toHaveLength(2);
      expect(errors[1]).toMatch(/is not valid JSON/);
      expect(config.directory.find('sdkKey', TEST_TENANTS.healthy.sdkKey)?.environmentId).toBe(
        TEST_TENANTS.healthy.environmentId,
      );

      await writeFile(
        path,
        JSON.stringify({ ...testTenantFile, environments: [{ id: 'env-new', sdkKeySha256: [sha256Hex('sdk-new')] }] }),
      );
      await config.refresh();
      expect(config.directory.find('sdkKey', 'sdk-new')?.environmentId).toBe('env-new');
      expect(config.directory.find('sdkKey', TEST_TENANTS.healthy.sdkKey)).toBeUndefined();
    } finally {
      config.stop();
    }
  });

  it('refuses to start without a good copy, naming the source and the setting', async () => {
    const errors: string[] = [];
    const config = new RefreshingTenantConfig(fileSource('/nonexistent/tenants.json'), 60_000, (error) =>
      errors.push(error.message),
    );
    await expect(config.start()).rejects.toThrow(/ENOENT.*\/nonexistent\/tenants.json.*Check TENANT_CONFIG_FILE/);
    // Nothing says "keeping the last good copy" when there never was one.
    expect(errors).toEqual([]);
  });

  it('does not read or parse the file again while it is unchanged', async () => {
    // given
    const path = await writeTenantFile();
    const config = new RefreshingTenantConfig(fileSource(path), 60_000, () => undefined);
    await config.start();
    try {
      const first = config.directory;

      // when: refreshed with the file untouched
      await config.refresh();

      // then: the same parsed directory; a rewrite of the file is taken
      expect(config.directory).toBe(first);
      await writeFile(
        path,
        JSON.stringify({
          ...testTenantFile,
          environments: [{ id: 'env-rewritten', sdkKeySha256: [sha256Hex('sdk-new')] }],
        }),
      );
      await config.refresh();
      expect(config.directory).not.toBe(first);
      expect(config.directory.find('sdkKey', 'sdk-new')?.environmentId).toBe('env-rewritten');
    } finally {
      config.stop();
    }
  });

  it('names the field of a tenant file that is wrong', () => {
    expect(() => new TenantDirectory({ ...testTenantFile, environments: [{ id: '', sdkKeySha256: [] }] })).toThrow(
      /environments\[0\]\.id must be a non-empty string/,
    );
    expect(
      () => new TenantDirectory({ ...testTenantFile, environments: [{ id: 'a', sdkKeySha256: ['not-a-hash'] }] }),
    ).toThrow(/environments\[0\]\.sdkKeySha256\[0\] must be a lower-case SHA-256 hex digest/);
    expect(
      () => new TenantDirectory({ ...testTenantFile, environments: [{ id: 'a', limits: { eventsPerSecond: -1 } }] }),
    ).toThrow(/environments\[0\]\.limits\.eventsPerSecond must be a positive number, got -1/);
    // Limits that would turn rate limiting off without a word: missing, misspelt, infinite.
    expect(() => new TenantDirectory({ ...testTenantFile, defaultLimits: {} as TenantLimits })).toThrow(
      /defaultLimits\.eventsPerSecond must be a positive number, got nothing/,
    );
    expect(
      () =>
        new TenantDirectory({
          ...testTenantFile,
          environments: [{ id: 'a', limits: { eventsPerSec: 5 } as Partial<TenantLimits> }],
        }),
    ).toThrow(/environments\[0\]\.limits\.eventsPerSec is not a limit; the limits are eventsPerSecond/);
    expect(
      () =>
        new TenantDirectory({
          ...testTenantFile,
          defaultLimits: { ...testTenantFile.defaultLimits, bytesPerSecond: Infinity },
        }),
    ).toThrow(/defaultLimits\.bytesPerSecond must be a positive number/);
  });
});

describe('tenant config from S3', () => {
  it('loads the tenant file from an S3 object, as the fleet does', async () => {
    // given: a real S3 API (s3rver) on 127.0.0.1 holding tenants.json
    const s3 = await startLocalS3('producer-config');
    try {
      await s3.client.send(
        new PutObjectCommand({ Bucket: 'producer-config', Key: 'tenants.json', Body: JSON.stringify(testTenantFile) }),
      );

      // when
      const config = new RefreshingTenantConfig(
        s3Source(s3.client, 'producer-config', 'tenants.json'),
        60_000,
        () => undefined,
      );
      await config.start();
      config.stop();

      // then
      expect(config.directory.find('mobileKey', TEST_TENANTS.healthy.mobileKey)?.environmentId).toBe(
        TEST_TENANTS.healthy.environmentId,
      );
    } finally {
      await s3.close();
    }
  });

  it('asks S3 for the object only if its ETag changed, and takes a new version', async () => {
    // given: the object, with the HTTP status of every GetObject recorded
    const s3 = await startLocalS3('producer-config');
    const statuses: number[] = [];
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'GetObjectCommand') return next(args);
        try {
          const result = await next(args);
          statuses.push((result.response as { statusCode: number }).statusCode);
          return result;
        } catch (error) {
          statuses.push((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode);
          throw error;
        }
      },
      { step: 'finalizeRequest' },
    );
    const put = (file: object) =>
      s3.client.send(
        new PutObjectCommand({ Bucket: 'producer-config', Key: 'tenants.json', Body: JSON.stringify(file) }),
      );
    try {
      await put(testTenantFile);
      const config = new RefreshingTenantConfig(
        s3Source(s3.client, 'producer-config', 'tenants.json'),
        60_000,
        (error) => {
          throw error;
        },
      );
      await config.start();
      config.stop();
      const first = config.directory;
      statuses.length = 0;

      // when: refreshed twice unchanged, then after a new version
      await config.refresh();
      await config.refresh();
      await put({ ...testTenantFile, environments: [{ id: 'env-new-version', sdkKeySha256: [sha256Hex('sdk-new')] }] });
      await config.refresh();

      // then: 304 Not Modified twice (no body, nothing parsed), then the new object
      expect(statuses).toEqual([304, 304, 200]);
      expect(config.directory).not.toBe(first);
      expect(config.directory.find('sdkKey', 'sdk-new')?.environmentId).toBe('env-new-version');
    } finally {
      await s3.close();
    }
  });
});
