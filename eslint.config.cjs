/**
 * ESLint flat config for `wp-scripts lint-js src admin-ui test scripts`.
 *
 * Close to @wordpress/scripts' default: @wordpress/eslint-plugin's
 * `recommended` (Prettier formatting, TypeScript via typescript-eslint,
 * React, JSDoc, i18n) plus its `test-unit` rules on jest tests. Additions:
 * - the jest tests are TypeScript here, so the unit-test rules also cover .ts/.tsx;
 * - Playwright rules for the browser tests in test/e2e;
 * - `@jest-environment` is a known docblock tag (jest reads it);
 * - the React hooks rule only applies to React code (.tsx): in plain .ts
 *   files `use…` helpers are not hooks (e.g. jest setup helpers);
 * - Node globals for the sender, CLI, scripts and tests; build output ignored;
 * - `@keycrm-sync/contract` resolves through tsconfig.json "paths", and admin-ui/
 *   may not import from src/ by a relative path;
 * - size limits on src/: 400 lines per file, 80 lines of code per function.
 */
const path = require( 'path' );
const globals = require( 'globals' );
const wpPlugin = require( '@wordpress/eslint-plugin' );

const TESTS = [ 'test/**/*.{js,jsx,ts,tsx}', '**/?(*.)test.{js,jsx,ts,tsx}' ];
const E2E = [ 'test/e2e/**/*.{js,ts}' ];

module.exports = [
	{
		ignores: [
			'**/build/**',
			'**/node_modules/**',
			'**/vendor/**',
			'dist/**',
			'coverage/**',
			'artifacts/**',
			'test-results/**',
			'playwright-report/**',
		],
	},
	...wpPlugin.configs.recommended,
	...wpPlugin.configs[ 'test-unit' ].map( ( c ) => ( {
		...c,
		files: TESTS,
		ignores: E2E,
	} ) ),
	...wpPlugin.configs[ 'test-playwright' ].map( ( c ) => ( {
		...c,
		files: E2E,
	} ) ),
	{
		// No project Babel config: parse plain JS with the WordPress preset (as wp-scripts does).
		languageOptions: {
			parserOptions: {
				requireConfigFile: false,
				babelOptions: {
					presets: [
						require.resolve( '@wordpress/babel-preset-default' ),
					],
				},
			},
		},
		settings: {
			// TypeScript resolution, tsconfig.json "paths" included (`@keycrm-sync/contract`).
			'import/resolver': {
				[ require.resolve( 'eslint-import-resolver-typescript' ) ]: {
					project: path.join( __dirname, 'tsconfig.json' ),
					extensions: [ '.js', '.jsx', '.ts', '.tsx' ],
				},
			},
		},
		rules: {
			'jsdoc/check-tag-names': [
				'error',
				{ definedTags: [ 'jest-environment' ] },
			],
		},
	},
	{
		files: [ 'src/**', 'scripts/**', 'test/**', '*.{js,cjs,mjs}' ],
		languageOptions: { globals: { ...globals.node } },
	},
	{
		files: [ '**/*.ts' ],
		rules: { 'react-hooks/rules-of-hooks': 'off' },
	},
	{
		// Size limits for the Node code: files of at most 400 lines as `wc -l`
		// counts them (blank lines and comments included), functions of at most
		// 80 lines of code (blank lines and comments not counted).
		files: [ 'src/**/*.ts' ],
		ignores: [ '**/*.test.ts' ],
		rules: {
			'max-lines': [
				'error',
				{ max: 400, skipBlankLines: false, skipComments: false },
			],
			'max-lines-per-function': [
				'error',
				{
					max: 80,
					skipBlankLines: true,
					skipComments: true,
					IIFEs: true,
				},
			],
		},
	},
	{
		// The admin UI reaches the shared code by name, never by climbing into src/.
		files: [ 'admin-ui/**' ],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^(\\.\\./)+src/',
							message:
								'Import the REST contract as @keycrm-sync/contract.',
						},
					],
				},
			],
		},
	},
	{
		// Root tool configs load the toolchain's own packages (deps of @wordpress/scripts).
		files: [ '*.config.{js,cjs,mjs}' ],
		rules: { 'import/no-extraneous-dependencies': 'off' },
	},
];
