/**
 * The CLI dispatcher: `keycrm-sync <command> [options]`, with `--help` at the
 * top level and on every command, strict option parsing and exit code 2 for
 * bad input.
 */
import { parseArgs } from 'node:util';

import { commands } from './commands/index.js';
import { CliUsageError, type CliCommand, type CliContext } from './types.js';

export const CLI_NAME = 'keycrm-sync';

/** I/O and environment for one CLI run. */
export interface CliIo {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	signal: AbortSignal;
	env: NodeJS.ProcessEnv;
}

/**
 * The top-level help text listing every registered command.
 *
 * @param list Registered commands.
 */
export function topLevelHelp( list: readonly CliCommand[] = commands ): string {
	const width = Math.max( 8, ...list.map( ( c ) => c.name.length ) );
	const lines = list.map(
		( c ) => `  ${ c.name.padEnd( width ) }  ${ c.summary }`
	);
	return [
		`Usage: ${ CLI_NAME } <command> [options]`,
		'',
		'Commands:',
		...lines,
		'',
		`Run "${ CLI_NAME } <command> --help" for the options of a command.`,
		'',
	].join( '\n' );
}

/**
 * Parse and run one command.
 *
 * @param command The command.
 * @param argv    Arguments after the command name.
 * @param io      I/O.
 */
async function runCommand(
	command: CliCommand,
	argv: string[],
	io: CliIo
): Promise< number > {
	const parsed = parseArgs( {
		args: argv,
		options: { ...command.options, help: { type: 'boolean', short: 'h' } },
		strict: true,
		allowPositionals: command.allowPositionals ?? false,
	} );
	if ( parsed.values.help === true ) {
		io.stdout.write(
			command.help.endsWith( '\n' ) ? command.help : `${ command.help }\n`
		);
		return 0;
	}
	const ctx: CliContext = {
		...io,
		values: parsed.values,
		positionals: parsed.positionals,
	};
	return command.run( ctx );
}

/**
 * Whether an error comes from `parseArgs` rejecting the arguments.
 *
 * @param error Anything thrown.
 */
function isParseArgsError( error: unknown ): error is Error {
	const code = ( error as { code?: unknown } | null )?.code;
	return typeof code === 'string' && code.startsWith( 'ERR_PARSE_ARGS_' );
}

/**
 * Run the CLI with `argv` (without `node` and the script path).
 * Resolves with the exit code; never calls `process.exit`.
 *
 * @param argv Arguments.
 * @param io   I/O and environment.
 * @param list Registered commands (tests may pass their own).
 */
export async function runCli(
	argv: string[],
	io: CliIo,
	list: readonly CliCommand[] = commands
): Promise< number > {
	const [ first, ...rest ] = argv;
	if (
		first === undefined ||
		first === '--help' ||
		first === '-h' ||
		first === 'help'
	) {
		( first === undefined ? io.stderr : io.stdout ).write(
			topLevelHelp( list )
		);
		return first === undefined ? 2 : 0;
	}
	const command = list.find( ( c ) => c.name === first );
	if ( ! command ) {
		io.stderr.write(
			`${ CLI_NAME }: unknown command "${ first }"\n\n${ topLevelHelp( list ) }`
		);
		return 2;
	}
	try {
		return await runCommand( command, rest, io );
	} catch ( error ) {
		if ( error instanceof CliUsageError || isParseArgsError( error ) ) {
			io.stderr.write(
				`${ CLI_NAME } ${ command.name }: ${ error.message }\n` +
					`Run "${ CLI_NAME } ${ command.name } --help" for usage.\n`
			);
			return 2;
		}
		throw error;
	}
}
