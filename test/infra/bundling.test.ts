import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dev } from '../../lib/config/environments';
import { synthPipeline } from '../support/synth';

describe('a synth that really bundles', () => {
  it('bundles the producer and every handler with the local esbuild, no Docker', () => {
    // given
    const pipeline = synthPipeline(Dev, { bundle: true });

    // when
    const assembly = pipeline.stage.synth();

    // then
    const root = join(assembly.directory, '..');
    const assets = readdirSync(root).filter((name) => name.startsWith('asset.'));
    const withFile = (file: string) => assets.filter((name) => existsSync(join(root, name, file)));
    const handlers = withFile('index.js').map((name) => readFileSync(join(root, name, 'index.js'), 'utf8'));
    for (const service of ['contexts-indexer', 'flag-status', 'archive-transform']) {
      expect(handlers.filter((code) => code.includes(`serviceName:"${service}"`))).toHaveLength(1);
    }
    expect(withFile('events-api.js')).toHaveLength(1);
  });
});
