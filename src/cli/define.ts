/**
 * One definition per CLI command: its options (with their help lines) give
 * both the `parseArgs` configuration and the `--help` text, so an option can
 * be neither parsed without being documented nor documented without being
 * parsed.
 */
import type { CliCommand, CliContext, CliOptions } from './types.js';

/** One option: how `parseArgs` reads it and how `--help` shows it. */
export interface OptionSpec {
	type: 'string' | 'boolean';
	short?: string;
	/** Repeatable (values arrive as an array). */
	multiple?: boolean;
	/** Placeholder of the value in `--help` (`URL`, `N`); string options only. */
	value?: string;
	/** Help text; a line break continues it under the first line. */
	help: string;
}

/** A command as it is written in src/cli/commands/<name>.ts. */
export interface CommandSpec {
	name: string;
	/** One line for the top-level `--help`. */
	summary: string;
	/** What follows `Usage: keycrm-sync <name> `. */
	usage: string;
	/** Paragraph(s) between the usage line and the options. */
	about: string;
	options: Record< string, OptionSpec >;
	/** Text after the options (formats, examples). */
	after?: string;
	allowPositionals?: boolean;
	run: ( ctx: CliContext ) => Promise< number >;
}

/** Column where option help starts (after two spaces of indent). */
const FLAG_WIDTH = 21;

/**
 * One `--help` entry: `  --name VALUE           text`, continuation lines aligned.
 *
 * @param flags The flags (`--site URL`, `-h, --help`).
 * @param help  The text.
 */
function entry( flags: string, help: string ): string {
	const [ first = '', ...rest ] = help.split( '\n' );
	const pad = ' '.repeat( FLAG_WIDTH + 4 );
	return [
		`  ${ flags.padEnd( FLAG_WIDTH ) }  ${ first }`.trimEnd(),
		...rest.map( ( line ) => `${ pad }${ line }` ),
	].join( '\n' );
}

/**
 * The `Options:` block of a command's help.
 *
 * @param options The options.
 */
export function optionsHelp( options: Record< string, OptionSpec > ): string {
	const lines = Object.entries( options ).map( ( [ name, spec ] ) => {
		const flag = spec.short
			? `-${ spec.short }, --${ name }`
			: `--${ name }`;
		return entry(
			spec.value ? `${ flag } ${ spec.value }` : flag,
			spec.help
		);
	} );
	return [
		'Options:',
		...lines,
		entry( '-h, --help', 'Show this help' ),
	].join( '\n' );
}

/**
 * The command: parser configuration and help text from one definition.
 *
 * @param spec The definition.
 */
export function defineCommand( spec: CommandSpec ): CliCommand {
	const options: CliOptions = {};
	for ( const [ name, o ] of Object.entries( spec.options ) ) {
		options[ name ] = {
			type: o.type,
			...( o.short ? { short: o.short } : {} ),
			...( o.multiple ? { multiple: true } : {} ),
		};
	}
	const help = [
		`Usage: keycrm-sync ${ spec.name } ${ spec.usage }`,
		'',
		spec.about,
		'',
		optionsHelp( spec.options ),
		...( spec.after ? [ '', spec.after ] : [] ),
		'',
	].join( '\n' );
	return {
		name: spec.name,
		summary: spec.summary,
		help,
		options,
		allowPositionals: spec.allowPositionals,
		run: spec.run,
	};
}
