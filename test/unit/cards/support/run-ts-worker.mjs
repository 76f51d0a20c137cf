// A worker thread's entry: Node does not load `.ts` entries in workers, so tsx is registered here
// and the TypeScript file named in `workerData.script` is imported.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.script);
