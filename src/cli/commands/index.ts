/**
 * The command registry: one import and one list entry per command file.
 * Keep the list sorted by name.
 */
import type { CliCommand } from '../types.js';
import { doctorCommand } from './doctor.js';
import { emulatorCommand } from './emulator.js';
import { pushCommand } from './push.js';
import { syncCommand } from './sync.js';
import { workerCommand } from './worker.js';

export const commands: readonly CliCommand[] = [
	doctorCommand,
	emulatorCommand,
	pushCommand,
	syncCommand,
	workerCommand,
];
