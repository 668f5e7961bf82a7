// The cdktf app: `cdktf synth` runs this (cdktf.json: "node dist/main.js").
// Every stack is built and validated before anything is written, as `virtlab synth` does.
import { App } from 'cdktf';
import { buildStacks } from './lib';
import { stacks } from './stacks';

const app = new App();
buildStacks(app, stacks);
app.synth();
