/**
 * CommerceML's `offers.xml` (ПакетПредложений): ТипыЦен, Склады and
 * Предложение with Цены, Количество and per-warehouse stock as `<Склад
 * ИдСклада=… КоличествоНаСкладе=…/>` or
 * `<Остатки><Остаток><Склад><Ид/><Количество/>`. Each offer becomes a row,
 * joined with its import.xml product by Ид.
 */
import { basename } from 'node:path';

import type { SaxesTagPlain } from 'saxes';

import type { CommerceMlOptions } from './commerceml.js';
import { groupPath, type Catalog, type Named } from './commerceml-import.js';
import { parentIs, walk, xmlEncoding, type Walker } from './commerceml-xml.js';
import type { RowCollector, ValidateOptions } from './erp-row.js';

/** One offer of offers.xml as read. */
interface OfferElement {
	id: string | null;
	sku: string | null;
	name: string | null;
	barcode: string | null;
	line: number;
	prices: Map< string, string >;
	priceTypeId: string | null;
	priceValue: string | null;
	total: string | null;
	stock: Map< string, string >;
	stockWarehouse: string | null;
	stockQuantity: string | null;
}

/** The price types and warehouses the options chose, as Ид. */
interface OfferSetup {
	/** Price type Ид. */
	price: string | null;
	/** Purchase price type Ид. */
	purchase: string | null;
	/** Warehouse Ид per --warehouse (null: the offer's total Количество). */
	stores: ( string | null )[];
}

/** What the walk over offers.xml holds between tags. */
interface OffersWalk {
	file: string;
	opts: CommerceMlOptions;
	validate: ValidateOptions;
	catalog: Catalog;
	out: RowCollector;
	priceTypes: Named[];
	stores: Named[];
	/** The open <ТипЦены> or <Склад> of the package. */
	named: Named | null;
	/** The open <Предложение>. */
	offer: OfferElement | null;
	/** Resolved at the first offer (the package's types and warehouses come first). */
	setup: OfferSetup | null;
	/** The options do not fit the file: no row is added. */
	fatal: boolean;
}

/**
 * Reads offers.xml into rows.
 *
 * @param path     File path.
 * @param catalog  import.xml's products and groups.
 * @param opts     Options.
 * @param validate Validation options.
 * @param out      Collector.
 */
export async function readOffers(
	path: string,
	catalog: Catalog,
	opts: CommerceMlOptions,
	validate: ValidateOptions,
	out: RowCollector
): Promise< void > {
	const s: OffersWalk = {
		file: basename( path ),
		opts,
		validate,
		catalog,
		out,
		priceTypes: [],
		stores: [],
		named: null,
		offer: null,
		setup: null,
		fatal: false,
	};
	const error = await walk(
		path,
		opts.encoding ?? ( await xmlEncoding( path ) ),
		( w, tag ) => openTag( s, w, tag ),
		( w, name ) => closeTag( s, w, name )
	);
	if ( error ) {
		out.fail( { ...error, file: s.file } );
	}
}

/**
 * Picks a price type by `--price-type` (Наименование or Ид), or the only one.
 *
 * @param types  Price types.
 * @param wanted Option value.
 * @param flag   Option name for messages.
 * @return The Ид, null for none, or an error message.
 */
function pickPriceType(
	types: Named[],
	wanted: string | undefined,
	flag: string
): string | null | { error: string } {
	const list = types.map( ( t ) => `"${ t.name }"` ).join( ', ' );
	if ( wanted !== undefined ) {
		const t = types.find( ( x ) => x.name === wanted || x.id === wanted );
		return t
			? t.id
			: {
					error: `${ flag } "${ wanted }": no such price type (${ list || 'none' })`,
				};
	}
	if ( flag === '--purchase-price-type' ) {
		return null;
	}
	if ( types.length > 1 ) {
		return {
			error: `several price types (${ list }): choose one with --price-type NAME`,
		};
	}
	return types[ 0 ]?.id ?? null;
}

/**
 * Matches the options to the package's price types and warehouses; each
 * mismatch is reported and makes the file fatal.
 *
 * @param s    Walk state.
 * @param line Line of the first offer.
 */
function resolveSetup( s: OffersWalk, line: number ): OfferSetup {
	const { opts, priceTypes, stores } = s;
	const price = pickPriceType( priceTypes, opts.priceType, '--price-type' );
	const purchase = pickPriceType(
		priceTypes,
		opts.purchasePriceType,
		'--purchase-price-type'
	);
	const problems: string[] = [];
	for ( const p of [ price, purchase ] ) {
		if ( p && typeof p === 'object' ) {
			problems.push( p.error );
		}
	}
	const storeIds = opts.warehouses.map( ( w ) => {
		if ( w.source === null ) {
			return null; // A bare --warehouse ID takes the offer's total Количество.
		}
		const found = stores.find(
			( x ) => x.name === w.source || x.id === w.source
		);
		if ( ! found ) {
			problems.push(
				`--warehouse "${ w.source }=${ w.id }": no <Склад> with that Наименование or Ид (${ stores.map( ( x ) => `"${ x.name }"` ).join( ', ' ) || 'none' })`
			);
		}
		return found?.id ?? null;
	} );
	for ( const message of problems ) {
		s.out.fail( { line, file: s.file, message } );
	}
	s.fatal = problems.length > 0;
	return {
		price: typeof price === 'string' ? price : null,
		purchase: typeof purchase === 'string' ? purchase : null,
		stores: storeIds,
	};
}

/**
 * An open tag of offers.xml: a price type or warehouse of the package, an
 * offer, or an offer's `<Склад ИдСклада КоличествоНаСкладе/>`.
 *
 * @param s   Walk state.
 * @param w   Walker.
 * @param tag The tag.
 */
function openTag( s: OffersWalk, w: Walker, tag: SaxesTagPlain ): void {
	const name = tag.name;
	if (
		( name === 'ТипЦены' && parentIs( w, 'ТипыЦен' ) ) ||
		( name === 'Склад' && parentIs( w, 'Склады' ) )
	) {
		s.named = { id: '', name: '' };
	} else if ( name === 'Предложение' && parentIs( w, 'Предложения' ) ) {
		s.setup ??= resolveSetup( s, w.line );
		s.offer = {
			id: null,
			sku: null,
			name: null,
			barcode: null,
			line: w.line,
			prices: new Map(),
			priceTypeId: null,
			priceValue: null,
			total: null,
			stock: new Map(),
			stockWarehouse: null,
			stockQuantity: null,
		};
	} else if ( s.offer && name === 'Склад' && parentIs( w, 'Предложение' ) ) {
		const id = tag.attributes.ИдСклада;
		const q = tag.attributes.КоличествоНаСкладе;
		if ( typeof id === 'string' && typeof q === 'string' ) {
			s.offer.stock.set( id, q );
		}
	}
}

/**
 * A close tag of offers.xml.
 *
 * @param s    Walk state.
 * @param w    Walker.
 * @param name Tag name.
 */
function closeTag( s: OffersWalk, w: Walker, name: string ): void {
	const text = w.text.trim();
	if ( s.named && ! s.offer ) {
		closeNamedTag( s, s.named, w, name, text );
	} else if ( s.offer ) {
		closeOfferTag( s, s.offer, w, name, text );
	}
}

/**
 * A close tag inside a price type or warehouse of the package.
 *
 * @param s     Walk state.
 * @param named The open price type or warehouse.
 * @param w     Walker.
 * @param name  Tag name.
 * @param text  Trimmed text of the element.
 */
function closeNamedTag(
	s: OffersWalk,
	named: Named,
	w: Walker,
	name: string,
	text: string
): void {
	const own = parentIs( w, 'ТипЦены' ) || parentIs( w, 'Склад' );
	if ( own && name === 'Ид' ) {
		named.id = text;
	} else if ( own && name === 'Наименование' ) {
		named.name = text;
	} else if ( name === 'ТипЦены' ) {
		s.priceTypes.push( named );
		s.named = null;
	} else if ( name === 'Склад' ) {
		s.stores.push( named );
		s.named = null;
	}
}

/**
 * A close tag inside an offer: a field, a price, a warehouse's stock, or the
 * offer's end (it becomes a row unless the options do not fit the file).
 *
 * @param s    Walk state.
 * @param o    The open offer.
 * @param w    Walker.
 * @param name Tag name.
 * @param text Trimmed text of the element.
 */
function closeOfferTag(
	s: OffersWalk,
	o: OfferElement,
	w: Walker,
	name: string,
	text: string
): void {
	if ( parentIs( w, 'Предложение' ) ) {
		if ( name === 'Ид' ) {
			o.id = text;
		} else if ( name === 'Артикул' ) {
			o.sku = text || null;
		} else if ( name === 'Наименование' ) {
			o.name = text || null;
		} else if ( name === 'Штрихкод' ) {
			o.barcode = text || null;
		} else if ( name === 'Количество' ) {
			o.total = text;
		}
	} else if ( parentIs( w, 'Цена' ) ) {
		if ( name === 'ИдТипаЦены' ) {
			o.priceTypeId = text;
		} else if ( name === 'ЦенаЗаЕдиницу' ) {
			o.priceValue = text;
		}
	} else if ( name === 'Цена' ) {
		if ( o.priceTypeId !== null && o.priceValue !== null ) {
			o.prices.set( o.priceTypeId, o.priceValue );
		}
		o.priceTypeId = null;
		o.priceValue = null;
	} else if ( parentIs( w, 'Склад' ) && w.path.includes( 'Остатки' ) ) {
		if ( name === 'Ид' ) {
			o.stockWarehouse = text;
		} else if ( name === 'Количество' ) {
			o.stockQuantity = text;
		}
	} else if ( name === 'Склад' && w.path.includes( 'Остатки' ) ) {
		if ( o.stockWarehouse !== null && o.stockQuantity !== null ) {
			o.stock.set( o.stockWarehouse, o.stockQuantity );
		}
		o.stockWarehouse = null;
		o.stockQuantity = null;
	} else if ( name === 'Предложение' ) {
		if ( ! s.fatal && s.setup ) {
			addOffer( s, o, s.setup );
		}
		s.offer = null;
	}
}

/**
 * Turns one <Предложение> into a row.
 *
 * @param s     Walk state.
 * @param o     The offer as read.
 * @param setup Chosen price types and warehouses.
 */
function addOffer( s: OffersWalk, o: OfferElement, setup: OfferSetup ): void {
	const { catalog, file, out } = s;
	if ( ! o.id ) {
		out.fail( {
			line: o.line,
			file,
			message: '<Предложение> without <Ид>',
		} );
		return;
	}
	const hash = o.id.indexOf( '#' );
	const productId = hash < 0 ? o.id : o.id.slice( 0, hash );
	const product = catalog.products.get( productId );
	if ( product ) {
		product.offered = true;
	}
	// A characteristic (Ид "product#variant") shares the product's Артикул: its own Ид is its SKU then.
	const sku = o.sku ?? ( hash < 0 ? product?.sku : null ) ?? o.id;
	out.add(
		{
			line: o.line,
			file,
			where: `<Предложение> Ид=${ o.id }`,
			sku,
			name: o.name ?? product?.name ?? null,
			price:
				setup.price === null ? undefined : o.prices.get( setup.price ),
			purchasePrice:
				setup.purchase === null
					? undefined
					: o.prices.get( setup.purchase ),
			barcode: o.barcode ?? product?.barcode ?? null,
			unit: product?.unit ?? null,
			category: product
				? groupPath( catalog.groups, product.groupId )
				: null,
			stock: setup.stores.map( ( id ) =>
				id === null ? ( o.total ?? '' ) : ( o.stock.get( id ) ?? '' )
			),
		},
		s.validate
	);
}
