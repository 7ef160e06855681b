/** @jest-environment node */
/*
 * Every command's --help lists exactly the options its parser accepts (both come from one
 * definition), and `keycrm-sync <command> --help` prints it.
 */
import { Writable } from 'node:stream';

import { commands } from '../../src/cli/commands/index';
import { emulatorCommand } from '../../src/cli/commands/emulator';
import { runCli } from '../../src/cli/main';

const ALL = [ ...commands, emulatorCommand ];

/**
 * The `--flags` of the Options block of a help text.
 *
 * @param help Help text.
 */
function listedFlags( help: string ): string[] {
	const block = help.split( '\nOptions:\n' )[ 1 ]?.split( '\n\n' )[ 0 ] ?? '';
	return [ ...block.matchAll( /^ {2}(?:-\w, )?--([a-z-]+)/gm ) ]
		.map( ( m ) => m[ 1 ] ?? '' )
		.sort();
}

describe.each( ALL.map( ( c ) => [ c.name, c ] as const ) )(
	'keycrm-sync %s',
	( name, command ) => {
		it( 'documents exactly the options it parses', () => {
			expect( listedFlags( command.help ) ).toEqual(
				[ ...Object.keys( command.options ), 'help' ].sort()
			);
			expect( command.help ).toMatch(
				new RegExp( `^Usage: keycrm-sync ${ name } ` )
			);
		} );

		it( 'prints that help for --help', async () => {
			let out = '';
			const stdout = new Writable( {
				write( chunk, _enc, done ) {
					out += String( chunk );
					done();
				},
			} );
			const code = await runCli(
				[ name, '--help' ],
				{
					stdout,
					stderr: stdout,
					signal: new AbortController().signal,
					env: {},
				},
				ALL
			);
			expect( code ).toBe( 0 );
			expect( out ).toBe( command.help );
		} );
	}
);
