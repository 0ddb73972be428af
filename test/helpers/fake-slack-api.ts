/** The fake Slack Web API lives in src/demo (the demo and the benchmarks use it too); tests import it here. */
export * from '../../src/demo/fake-slack-api.ts';
