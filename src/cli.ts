#!/usr/bin/env node
/**
 * Entry point of the `keycrm-sync` CLI (package bin → dist/cli.js): the
 * sender's commands plus `emulator` (the keyCRM emulator for the demo, the
 * tests and the benches). The one-file sender (`npm run bundle`) is built
 * from src/sender-cli.ts, without the emulator.
 */
import { startCli } from './cli/start.js';
import { commands } from './cli/commands/index.js';
import { emulatorCommand } from './cli/commands/emulator.js';

startCli(
	[ ...commands, emulatorCommand ].sort( ( a, b ) =>
		a.name.localeCompare( b.name )
	)
);
