/**
 * CommerceML 2 (the 1C/BAS → website exchange): `import.xml` (catalogue:
 * Товар with Ид, Артикул, Наименование, Штрихкод, БазоваяЕдиница, Группы)
 * and `offers.xml` (ПакетПредложений: ТипыЦен, Склады, Предложение with
 * Цены, Количество and per-warehouse stock as `<Склад ИдСклада=…
 * КоличествоНаСкладе=…/>` or `<Остатки><Остаток><Склад><Ид/><Количество/>`).
 * Both are read with the saxes streaming parser, element by element, so a
 * large offers.xml is never held in memory; import.xml's products are kept
 * (by Ид) to join them with the offers.
 *
 * Readers: commerceml-import.ts (import.xml), commerceml-offers.ts
 * (offers.xml), commerceml-xml.ts (encoding and the streaming walk).
 */
import { basename } from 'node:path';

import { emptyCatalog, groupPath, readImport } from './commerceml-import.js';
import { readOffers } from './commerceml-offers.js';
import type { WarehouseMapping } from './erp-columns.js';
import type { RowCollector, ValidateOptions } from './erp-row.js';
import type { Encoding } from './text-encoding.js';

export interface CommerceMlOptions {
	warehouses: readonly WarehouseMapping[];
	/** `--price-type NAME` (Наименование or Ид); default: the only price type. */
	priceType?: string;
	/** `--purchase-price-type NAME`; default: none. */
	purchasePriceType?: string;
	/** `--encoding` override (default: the XML declaration, else detected). */
	encoding?: Encoding;
}

/**
 * Reads a CommerceML export: import.xml and/or offers.xml.
 *
 * @param importPath Path of import.xml (or null).
 * @param offersPath Path of offers.xml (or null).
 * @param opts       Options.
 * @param out        Collector.
 * @return Warehouse ids the rows' `stock` is aligned with.
 */
export async function readCommerceMl(
	importPath: string | null,
	offersPath: string | null,
	opts: CommerceMlOptions,
	out: RowCollector
): Promise< number[] > {
	const catalog = importPath
		? await readImport( importPath, opts.encoding, out )
		: emptyCatalog();
	const importFile = importPath ? basename( importPath ) : undefined;
	const warehouseIds = opts.warehouses.map( ( w ) => w.id );
	const validate: ValidateOptions = {
		stockLabels: opts.warehouses.map( ( w ) => w.source ?? 'Количество' ),
		blankStockIsZero: true,
	};
	if ( offersPath ) {
		await readOffers( offersPath, catalog, opts, validate, out );
	}
	// Catalogue products no offer mentioned: their data, stock and price left as they are
	// (a change-only offers.xml omits what did not change).
	for ( const [ id, p ] of catalog.products ) {
		if ( p.offered ) {
			continue;
		}
		out.add(
			{
				line: p.line,
				file: importFile,
				where: `<Товар> Ид=${ id }`,
				sku: p.sku ?? id,
				name: p.name,
				barcode: p.barcode,
				unit: p.unit,
				category: groupPath( catalog.groups, p.groupId ),
				stock: [],
			},
			{ ...validate, stockLabels: [] }
		);
	}
	return offersPath ? warehouseIds : [];
}
