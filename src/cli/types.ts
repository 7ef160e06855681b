/**
 * The CLI's command contract. Each command lives in `src/cli/commands/<name>.ts`
 * and is listed once in `src/cli/commands/index.ts`.
 */
import type { ParseArgsConfig } from 'node:util';

/** Option definitions, exactly as `node:util` `parseArgs` takes them. */
export type CliOptions = NonNullable< ParseArgsConfig[ 'options' ] >;

/** Parsed option values (`parseArgs` output). */
export type CliValues = Record<
	string,
	string | boolean | ( string | boolean )[] | undefined
>;

/** What a command gets when it runs. */
export interface CliContext {
	/** Parsed options (validated by `parseArgs` in strict mode). */
	values: CliValues;
	/** Positional arguments (only when the command allows them). */
	positionals: string[];
	/** Output streams (tests pass buffers). */
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	/** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
	signal: AbortSignal;
	/** Environment variables (tests pass their own). */
	env: NodeJS.ProcessEnv;
}

/** One `keycrm-sync <name>` command. */
export interface CliCommand {
	/** The word after `keycrm-sync`. */
	name: string;
	/** One line for the top-level `--help`. */
	summary: string;
	/** Full help text printed by `keycrm-sync <name> --help` (usage line + options). */
	help: string;
	/** Options; `--help`/`-h` is added by the framework. */
	options: CliOptions;
	/** Accept positional arguments (default false: any positional is a usage error). */
	allowPositionals?: boolean;
	/**
	 * Run the command. Resolve with the process exit code (0 = success).
	 * Throw `CliUsageError` for bad input (exit 2 with the message).
	 */
	run: ( ctx: CliContext ) => Promise< number >;
}

/** Bad command-line input: printed with a hint, exit code 2. */
export class CliUsageError extends Error {
	override readonly name = 'CliUsageError';
}
