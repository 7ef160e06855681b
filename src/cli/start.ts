/**
 * Process wiring of a CLI entry: signals, streams, exit code. The entries
 * (src/cli.ts, src/sender-cli.ts) differ only in their command lists.
 */
import { runCli } from './main.js';
import type { CliCommand } from './types.js';

/**
 * Run the CLI on `process.argv` with `list` and set the exit code.
 *
 * @param list Registered commands.
 */
export function startCli( list: readonly CliCommand[] ): void {
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

	runCli(
		process.argv.slice( 2 ),
		{
			stdout: process.stdout,
			stderr: process.stderr,
			signal: controller.signal,
			env: process.env,
		},
		list
	).then(
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
}
