/**
 * Build of the wp-admin app (admin-ui/) into plugin/build/ with @wordpress/scripts.
 *
 * WordPress packages and React are externals (wp-* script handles), as wp-scripts does by
 * default; `@woocommerce/components` is externalized too, to the `wc-components` handle
 * WooCommerce registers (global `wc.components`), so the bundle stays a few KiB and
 * `plugin/build/admin.asset.php` lists `wc-components` as a dependency.
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

/** Prints the size of admin.js (minified, gzipped, budget) after each build. */
class AdminSizePlugin {
	apply( compiler ) {
		compiler.hooks.afterEmit.tap( 'AdminSizePlugin', ( compilation ) => {
			const file = path.join(
				compilation.outputOptions.path,
				'admin.js'
			);
			if ( fs.existsSync( file ) ) {
				process.stdout.write(
					`${ sizeLine(
						path.relative( here, file ),
						fs.readFileSync( file ),
						ADMIN_BUDGET
					) }\n`
				);
			}
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
