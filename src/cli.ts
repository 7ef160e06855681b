#!/usr/bin/env node
/**
 * Entry point of the `keycrm-sync` CLI (package bin → dist/cli.js).
 * Wires process I/O and signals, then hands over to `runCli`.
 */
import { runCli } from './cli/main.js';

const controller = new AbortController();
let stopping = false;
const onSignal = ( name: NodeJS.Signals ): void => {
	if ( stopping ) {
		// A second signal: stop at once.
		process.exit( 130 );
	}
	stopping = true;
	controller.abort( new Error( `Received ${ name }` ) );
};
process.on( 'SIGINT', onSignal );
process.on( 'SIGTERM', onSignal );

runCli( process.argv.slice( 2 ), {
	stdout: process.stdout,
	stderr: process.stderr,
	signal: controller.signal,
	env: process.env,
} ).then(
	( code ) => {
		process.exitCode = code;
		process.off( 'SIGINT', onSignal );
		process.off( 'SIGTERM', onSignal );
	},
	( error: unknown ) => {
		process.stderr.write(
			`keycrm-sync: ${ error instanceof Error ? ( error.stack ?? error.message ) : String( error ) }\n`
		);
		process.exitCode = 1;
	}
);
