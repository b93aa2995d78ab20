import { ENVIRONMENTS } from '../../lib/config/environments';
import { stableTemplate, stacksOf, synthPipeline } from '../support/synth';

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))('%s stacks', (_name, config) => {
  const pipeline = synthPipeline(config);

  it.each(stacksOf(pipeline).map((stack) => [stack.stackName, stack] as const))(
    '%s matches its snapshot',
    (_stackName, stack) => {
      expect(stableTemplate(stack)).toMatchSnapshot();
    },
  );
});
