/**
 * The command registry: one import and one list entry per command file.
 * Keep the list sorted by name.
 */
import type { CliCommand } from '../types.js';
import { emulatorCommand } from './emulator.js';
import { pushCommand } from './push.js';

export const commands: readonly CliCommand[] = [ emulatorCommand, pushCommand ];
