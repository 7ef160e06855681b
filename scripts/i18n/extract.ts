/**
 * Writes plugin/languages/keycrm-sync.pot from admin-ui/src and plugin/ and lists the strings the
 * uk translation lacks. Usage: npx tsx scripts/i18n/extract.ts
 */
/* eslint-disable no-console -- a command-line script reports on stdout. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildPot, extractProject, messageKey, parsePo } from './gettext';

const root = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'../..'
);
const messages = extractProject( root );
writeFileSync(
	path.join( root, 'plugin/languages/keycrm-sync.pot' ),
	buildPot( messages )
);
const po = parsePo(
	readFileSync(
		path.join( root, 'plugin/languages/keycrm-sync-uk.po' ),
		'utf8'
	)
);
const missing = messages.filter(
	( m ) =>
		! po.messages.get( messageKey( m ) )?.msgstr.every( ( s ) => s !== '' )
);
console.log(
	`${ messages.length } strings; ${ missing.length } without a uk translation`
);
for ( const m of missing ) {
	console.log( `  ${ JSON.stringify( m.msgid ) }  (${ m.references[ 0 ] })` );
}
