/** Runs one validation in a worker thread and posts how long it took (see validate-inputs.test.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { validateSubmission } from '../../../../src/cards/validate-inputs.js';

const { card, inputs } = workerData as { card: unknown; inputs: Record<string, unknown> };
const started = performance.now();
const result = validateSubmission(card, inputs);
parentPort!.postMessage({ kind: result.kind, ms: performance.now() - started });
