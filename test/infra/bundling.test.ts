import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dev } from '../../lib/config/environments';
import { synthPipeline } from '../support/synth';

describe('a synth that really bundles', () => {
  // One synth for both: it runs esbuild for every entry point and Maven for the job.
  const root = join(synthPipeline(Dev, { bundle: true }).stage.synth().directory, '..');

  it('bundles the producer and every handler with the local esbuild, no Docker', () => {
    const assets = readdirSync(root).filter((name) => name.startsWith('asset.'));
    const withFile = (file: string) => assets.filter((name) => existsSync(join(root, name, file)));
    const handlers = withFile('index.js').map((name) => readFileSync(join(root, name, 'index.js'), 'utf8'));
    for (const service of ['contexts-indexer', 'flag-status', 'archive-transform']) {
      expect(handlers.filter((code) => code.includes(`serviceName:"${service}"`))).toHaveLength(1);
    }
    expect(withFile('events-api.js')).toHaveLength(1);
  });

  it('builds the experiment job into one jar with the job and its connectors, but not Flink (the runtime brings it)', () => {
    const jars = readdirSync(root).filter((name) => name.startsWith('asset.') && name.endsWith('.jar'));
    expect(jars).toHaveLength(1);
    // A jar's central directory names every entry uncompressed.
    const jar = readFileSync(join(root, jars[0]!)).toString('latin1');
    for (const entry of [
      'eventspipeline/analytics/ExperimentJob.class',
      'events/v1/',
      'software/amazon/awssdk/services/kinesis/',
      'software/amazon/awssdk/services/secretsmanager/',
      'redis/clients/jedis/',
      'com/amazonaws/services/kinesisanalytics/runtime/',
    ]) {
      expect({ entry, found: jar.includes(entry) }).toEqual({ entry, found: true });
    }
    expect(jar.includes('org/apache/flink/streaming/api/environment/')).toBe(false);
  });
});
