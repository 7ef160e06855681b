/**
 * Writes plugin/languages/keycrm-sync.pot from admin-ui/src and plugin/, merges it into every
 * keycrm-sync-{locale}.po (new strings untranslated, unused ones dropped), and lists the strings
 * each translation lacks. Usage: npx tsx scripts/i18n/extract.ts
 */
/* eslint-disable no-console -- a command-line script reports on stdout. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { extractProject } from './extract-strings';
import { buildPot, messageKey, parsePo, updatePo } from './gettext';

const root = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'../..'
);
const dir = path.join( root, 'plugin/languages' );
const messages = extractProject( root );
writeFileSync( path.join( dir, 'keycrm-sync.pot' ), buildPot( messages ) );
console.log( `plugin/languages/keycrm-sync.pot: ${ messages.length } strings` );
for ( const name of readdirSync( dir ).filter( ( n ) =>
	/^keycrm-sync-[\w]+\.po$/.test( n )
) ) {
	const file = path.join( dir, name );
	const po = parsePo( readFileSync( file, 'utf8' ) );
	writeFileSync( file, updatePo( po, messages ) );
	const missing = messages.filter(
		( m ) =>
			! po.messages
				.get( messageKey( m ) )
				?.msgstr.every( ( s ) => s !== '' )
	);
	console.log(
		`plugin/languages/${ name }: ${ missing.length } untranslated`
	);
	for ( const m of missing ) {
		console.log(
			`  ${ JSON.stringify( m.msgid ) }  (${ m.references[ 0 ] })`
		);
	}
}
