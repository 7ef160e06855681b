/**
 * `npm run plugin-zip`: packs plugin/ into an installable zip (one top folder `keycrm-sync/`,
 * built admin assets included, development files left out).
 *
 * Usage: node --import tsx scripts/plugin-zip.ts [--out DIR] [--plugin DIR]
 *        (defaults: --out dist/, --plugin plugin/)
 * Prints the zip's path. Fails when the admin build (plugin/build/admin.asset.php) is missing.
 */
import {
	mkdirSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
	configure,
	Uint8ArrayReader,
	Uint8ArrayWriter,
	ZipWriter,
} from '@zip.js/zip.js';

const ROOT = resolve( dirname( fileURLToPath( import.meta.url ) ), '..' );
const PLUGIN_DIR = join( ROOT, 'plugin' );
const SLUG = 'keycrm-sync';

/** Paths (relative to plugin/, `/`-separated) that never ship: tooling, tests, sources, caches. */
const EXCLUDED: RegExp[] = [
	/(^|\/)\.[^/]+/, // dot files and folders (.git, .phpcs-cache, .DS_Store)
	/(^|\/)node_modules\//,
	/^vendor\//, // dev-only Composer packages; the plugin has its own autoloader
	/^(tests?|bin)\//,
	/^composer\.(json|lock)$/,
	/^(phpcs|phpstan|phpunit|psalm)[^/]*\.(xml|neon)(\.dist)?$/,
	/^package(-lock)?\.json$/,
	/\.(map|ts|tsx|log|zip)$/,
];

/** Files the zip must contain, or it is not installable / not usable. */
const REQUIRED = [
	`${ SLUG }.php`,
	'readme.txt',
	'uninstall.php',
	'build/admin.js',
	'build/admin.asset.php',
];

/** A required file is missing. */
export class PluginZipError extends Error {}

/**
 * Lists the files that ship, relative to `dir`, `/`-separated and sorted.
 *
 * @param dir The plugin folder.
 */
export function shippedFiles( dir: string ): string[] {
	const files: string[] = [];
	const walk = ( current: string ): void => {
		for ( const entry of readdirSync( current, { withFileTypes: true } ) ) {
			const full = join( current, entry.name );
			const rel = relative( dir, full ).split( sep ).join( '/' );
			if (
				EXCLUDED.some( ( re ) =>
					re.test( entry.isDirectory() ? `${ rel }/` : rel )
				)
			) {
				continue;
			}
			if ( entry.isDirectory() ) {
				walk( full );
			} else if ( entry.isFile() ) {
				files.push( rel );
			}
		}
	};
	walk( dir );
	return files.sort();
}

/**
 * Reads the plugin's version from the main file's header.
 *
 * @param dir The plugin folder.
 */
export function pluginVersion( dir: string ): string {
	const header = readFileSync( join( dir, `${ SLUG }.php` ), 'utf8' );
	const match = /^\s*\*\s*Version:\s*(\S+)/m.exec( header );
	if ( ! match?.[ 1 ] ) {
		throw new PluginZipError( `no "Version:" header in ${ SLUG }.php` );
	}
	return match[ 1 ];
}

/**
 * Writes `<outDir>/keycrm-sync-<version>.zip`.
 *
 * @param outDir Output folder (created when missing).
 * @param dir    The plugin folder.
 * @return The zip's path.
 */
export async function buildPluginZip(
	outDir: string,
	dir: string = PLUGIN_DIR
): Promise< string > {
	const files = shippedFiles( dir );
	const missing = REQUIRED.filter( ( f ) => ! files.includes( f ) );
	if ( missing.length > 0 ) {
		const hint = missing.some( ( f ) => f.startsWith( 'build/' ) )
			? ' (build the admin UI: npm run build:admin)'
			: '';
		throw new PluginZipError(
			`missing from plugin/: ${ missing.join( ', ' ) }${ hint }`
		);
	}
	configure( { useWebWorkers: false } );
	const writer = new ZipWriter( new Uint8ArrayWriter() );
	await writer.add( `${ SLUG }/`, undefined, { directory: true } );
	for ( const file of files ) {
		const full = join( dir, file );
		await writer.add(
			`${ SLUG }/${ file }`,
			new Uint8ArrayReader( readFileSync( full ) ),
			{
				lastModDate: statSync( full ).mtime,
			}
		);
	}
	const bytes = await writer.close();
	mkdirSync( outDir, { recursive: true } );
	const path = join( outDir, `${ SLUG }-${ pluginVersion( dir ) }.zip` );
	writeFileSync( path, bytes );
	return path;
}

async function main(): Promise< void > {
	const { values } = parseArgs( {
		options: { out: { type: 'string' }, plugin: { type: 'string' } },
	} );
	const path = await buildPluginZip(
		resolve( values.out ?? join( ROOT, 'dist' ) ),
		resolve( values.plugin ?? PLUGIN_DIR )
	);
	process.stdout.write( `${ path }\n` );
}

if (
	process.argv[ 1 ] &&
	resolve( process.argv[ 1 ] ) === fileURLToPath( import.meta.url )
) {
	main().catch( ( error: unknown ) => {
		process.stderr.write(
			`plugin-zip: ${ error instanceof Error ? error.message : String( error ) }\n`
		);
		process.exit( 1 );
	} );
}
