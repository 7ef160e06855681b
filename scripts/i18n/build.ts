/**
 * Writes the .mo and JED JSON files of every .po in plugin/languages.
 * Usage: npx tsx scripts/i18n/build.ts
 */
/* eslint-disable no-console -- a command-line script reports on stdout. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { compileLanguages } from './compile';

const root = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'../..'
);
for ( const [ name, data ] of compileLanguages( root ) ) {
	writeFileSync( path.join( root, 'plugin/languages', name ), data );
	console.log( `plugin/languages/${ name } (${ data.length } bytes)` );
}
