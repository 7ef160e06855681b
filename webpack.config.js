/**
 * Build of the wp-admin app (admin-ui/) into plugin/build/ with @wordpress/scripts.
 *
 * WordPress packages and React are externals (wp-* script handles), as wp-scripts does by
 * default; `@woocommerce/components` is externalized too, to the `wc-components` handle
 * WooCommerce registers (global `wc.components`), so `plugin/build/admin.asset.php` lists
 * `wc-components` as a dependency. Rarely used tabs are chunks of their own next to admin.js
 * (admin-ui/src/app.tsx), fetched by webpack's runtime from the folder admin.js was loaded from
 * (publicPath `auto`); their externals are in admin.asset.php too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire( import.meta.url );
const here = path.dirname( fileURLToPath( import.meta.url ) );
const defaultConfig = require( '@wordpress/scripts/config/webpack.config' );
// The copy wp-scripts itself uses (not a direct dependency of the project).
const fromScripts = createRequire(
	require.resolve( '@wordpress/scripts/package.json' )
);
const DependencyExtractionWebpackPlugin = fromScripts(
	'@wordpress/dependency-extraction-webpack-plugin'
);

const WC_EXTERNALS = {
	'@woocommerce/components': {
		external: [ 'wc', 'components' ],
		handle: 'wc-components',
	},
};

const { ADMIN_BUDGET, sizeLine } = require( './scripts/size-budget.cjs' );

/**
 * Prints the size of admin.js (minified, gzipped, budget) after each build, and of the chunks
 * it fetches when a tab is first opened (admin-settings.js, …).
 */
class AdminSizePlugin {
	apply( compiler ) {
		compiler.hooks.afterEmit.tap( 'AdminSizePlugin', ( compilation ) => {
			const dir = compilation.outputOptions.path;
			const file = path.join( dir, 'admin.js' );
			if ( ! fs.existsSync( file ) ) {
				return;
			}
			const lines = [
				sizeLine(
					path.relative( here, file ),
					fs.readFileSync( file ),
					ADMIN_BUDGET
				),
			];
			const chunks = [ ...compilation.chunks ]
				.filter( ( chunk ) => ! chunk.canBeInitial() )
				.flatMap( ( chunk ) => [ ...chunk.files ] )
				.map( ( name ) => name.replace( /\?.*$/, '' ) )
				.filter( ( name ) => name.endsWith( '.js' ) )
				.sort();
			for ( const name of chunks ) {
				const bytes = fs.readFileSync( path.join( dir, name ) );
				lines.push(
					`  ${ name } (fetched when its tab is first opened): ${ (
						bytes.length / 1024
					).toFixed( 1 ) } KiB minified`
				);
			}
			process.stdout.write( `${ lines.join( '\n' ) }\n` );
		} );
	}
}

const base = Array.isArray( defaultConfig )
	? defaultConfig[ 0 ]
	: defaultConfig;

export default {
	...base,
	entry: { admin: path.resolve( here, 'admin-ui/src/index.tsx' ) },
	output: { ...base.output, path: path.resolve( here, 'plugin/build' ) },
	resolve: {
		...base.resolve,
		alias: {
			...base.resolve?.alias,
			// The REST contract by name (tsconfig.json "paths").
			'@keycrm-sync/contract$': path.resolve(
				here,
				'src/contract/index.ts'
			),
		},
		// src/ uses Node ESM specifiers (`./x.js` for `./x.ts`).
		extensionAlias: { '.js': [ '.ts', '.js' ] },
	},
	plugins: [
		...base.plugins.filter(
			( plugin ) =>
				plugin.constructor.name !== 'DependencyExtractionWebpackPlugin'
		),
		new DependencyExtractionWebpackPlugin( {
			requestToExternal: ( request ) => WC_EXTERNALS[ request ]?.external,
			requestToHandle: ( request ) => WC_EXTERNALS[ request ]?.handle,
		} ),
		new AdminSizePlugin(),
	],
};
