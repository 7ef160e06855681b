/**
 * Compiles every plugin/languages/keycrm-sync-{locale}.po into the .mo file PHP loads and the JED
 * JSON file wp_set_script_translations() loads for plugin/build/admin.js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { extractFolder } from './extract-strings';
import { buildJed, buildMo, jedFileName, messageKey, parsePo } from './gettext';

/** The built script, relative to the plugin root (WordPress hashes this path). */
export const SCRIPT_SOURCE = 'build/admin.js';

/**
 * Output files (name → contents) for every .po in plugin/languages. The JSON holds only the
 * strings the admin app uses.
 *
 * @param root Repository root.
 */
export function compileLanguages( root: string ): Map< string, Buffer > {
	const dir = path.join( root, 'plugin/languages' );
	const jsKeys = new Set(
		extractFolder( root, 'admin-ui/src', [ '.ts', '.tsx' ] ).map(
			messageKey
		)
	);
	const out = new Map< string, Buffer >();
	for ( const name of readdirSync( dir )
		.filter( ( n ) => /^keycrm-sync-[\w]+\.po$/.test( n ) )
		.sort() ) {
		const locale = name
			.replace( /^keycrm-sync-/, '' )
			.replace( /\.po$/, '' );
		const po = parsePo( readFileSync( path.join( dir, name ), 'utf8' ) );
		out.set( `keycrm-sync-${ locale }.mo`, buildMo( po ) );
		out.set(
			jedFileName( locale, SCRIPT_SOURCE ),
			Buffer.from( buildJed( po, jsKeys, SCRIPT_SOURCE ) )
		);
	}
	return out;
}
