/**
 * The sender's command registry: one import and one list entry per command
 * file, sorted by name. `emulator` (src/cli/commands/emulator.ts) is added by
 * src/cli.ts only, so the one-file sender (src/sender-cli.ts) carries no
 * emulator.
 */
import type { CliCommand } from '../types.js';
import { doctorCommand } from './doctor.js';
import { pushCommand } from './push.js';
import { syncCommand } from './sync.js';
import { workerCommand } from './worker.js';

export const commands: readonly CliCommand[] = [
	doctorCommand,
	pushCommand,
	syncCommand,
	workerCommand,
];
