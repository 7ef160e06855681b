/**
 * `@keycrm-sync/contract`: the plugin's REST contract (zod schemas and their
 * types) and the SKU rules, as the admin UI, the tests and the tools import
 * them. The alias is configured in tsconfig.json (paths), webpack.config.js
 * (resolve.alias), jest.config.cjs (moduleNameMapper) and eslint.config.cjs
 * (import resolver). Code inside src/ imports these files relatively, so
 * `tsc -p tsconfig.build.json` emits a dist/ that runs without the alias.
 */
export * from './plugin-rest.js';
export * from './sku-rules.js';
