/**
 * The registered measurements, run by `npm run bench` in this order. To add one: write a module
 * exporting a {@link Measurement} next to this file and list it here.
 */
import type { Measurement } from '../measurement.js';
import { ack } from './ack.js';
import { burst } from './burst.js';
import { cards } from './cards.js';
import { events } from './events.js';
import { install } from './install.js';
import { journal } from './journal.js';
import { memory } from './memory.js';
import { scaleOut } from './scale-out.js';
import { startup } from './startup.js';

export const measurements: readonly Measurement[] = [
  events,
  ack,
  journal,
  cards,
  install,
  startup,
  memory,
  burst,
  scaleOut,
];
