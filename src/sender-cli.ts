#!/usr/bin/env node
/**
 * Entry point of the one-file sender (`npm run bundle` → dist/keycrm-sync.mjs):
 * the sender's commands only. The keyCRM emulator is not part of it; it runs
 * from src/cli.ts (`keycrm-sync emulator`).
 */
import { startCli } from './cli/start.js';
import { commands } from './cli/commands/index.js';

startCli( commands );
