/**
 * CommerceML 2 (the 1C/BAS → website exchange): `import.xml` (catalogue:
 * Товар with Ид, Артикул, Наименование, Штрихкод, БазоваяЕдиница, Группы)
 * and `offers.xml` (ПакетПредложений: ТипыЦен, Склады, Предложение with
 * Цены, Количество and per-warehouse stock as `<Склад ИдСклада=…
 * КоличествоНаСкладе=…/>` or `<Остатки><Остаток><Склад><Ид/><Количество/>`).
 * Both are read with the saxes streaming parser, element by element, so a
 * large offers.xml is never held in memory; import.xml's products are kept
 * (by Ид) to join them with the offers.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';

import { SaxesParser, type SaxesTagPlain } from 'saxes';

import type { WarehouseMapping } from './erp-columns.js';
import { RowCollector, type ValidateOptions } from './erp-row.js';
import {
	decoderStream,
	detectEncoding,
	encodingOf,
	type Encoding,
} from './text-encoding.js';

/** A product of import.xml. */
interface CatalogProduct {
	sku: string | null;
	name: string | null;
	barcode: string | null;
	unit: string | null;
	groupId: string | null;
	line: number;
	/** Whether an offer referred to it. */
	offered: boolean;
}

/** Named things of the exchange (price types, warehouses, groups). */
interface Named {
	id: string;
	name: string;
	parentId?: string | null;
}

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
 * The encoding of an XML file: its declaration, else the byte heuristic.
 *
 * @param path File path.
 */
async function xmlEncoding( path: string ): Promise< Encoding > {
	const handle = await open( path, 'r' );
	try {
		const head = Buffer.alloc( 4096 );
		const { bytesRead } = await handle.read( head, 0, head.length, 0 );
		const bytes = head.subarray( 0, bytesRead );
		const guess = detectEncoding( bytes );
		if ( guess.startsWith( 'utf-16' ) ) {
			return guess;
		}
		const decl = /<\?xml[^>]*encoding=["']([^"']+)["']/i.exec(
			bytes.toString( 'latin1' )
		);
		return ( decl && encodingOf( decl[ 1 ] ?? '' ) ) ?? guess;
	} finally {
		await handle.close();
	}
}

/** A streaming walk over one XML file with the element path at hand. */
interface Walker {
	/** Element names from the root to the current element. */
	path: string[];
	/** Text of the current element so far. */
	text: string;
	line: number;
}

/**
 * Parses an XML file with saxes, calling back on open and close tags.
 *
 * @param path     File path.
 * @param encoding Encoding.
 * @param onOpen   Open tag (path includes the tag).
 * @param onClose  Close tag (path still includes the tag; `text` is its text).
 * @return The first XML error, if any.
 */
async function walk(
	path: string,
	encoding: Encoding,
	onOpen: ( w: Walker, tag: SaxesTagPlain ) => void,
	onClose: ( w: Walker, name: string ) => void
): Promise< { line: number; message: string } | null > {
	const parser = new SaxesParser( { position: true } );
	const w: Walker = { path: [], text: '', line: 1 };
	let error: { line: number; message: string } | null = null;
	parser.on( 'error', ( e ) => {
		error ??= { line: parser.line, message: `invalid XML: ${ e.message }` };
	} );
	parser.on( 'opentag', ( tag ) => {
		w.path.push( tag.name );
		w.text = '';
		w.line = parser.line;
		onOpen( w, tag as SaxesTagPlain );
	} );
	parser.on( 'text', ( t ) => {
		w.text += t;
	} );
	parser.on( 'cdata', ( t ) => {
		w.text += t;
	} );
	parser.on( 'closetag', ( tag ) => {
		w.line = parser.line;
		onClose( w, tag.name );
		w.path.pop();
		w.text = '';
	} );
	const input = createReadStream( path ).pipe( decoderStream( encoding ) );
	for await ( const chunk of input ) {
		if ( error ) {
			break;
		}
		parser.write( String( chunk ) );
	}
	if ( ! error ) {
		parser.close();
	}
	return error;
}

const parentIs = ( w: Walker, name: string, depth = 2 ) =>
	w.path[ w.path.length - depth ] === name;

/**
 * Reads import.xml: the products by Ид and the group tree.
 *
 * @param path File path.
 * @param enc  Encoding override.
 * @param out  Collector (XML errors).
 */
async function readImport(
	path: string,
	enc: Encoding | undefined,
	out: RowCollector
): Promise< {
	products: Map< string, CatalogProduct >;
	groups: Map< string, Named >;
} > {
	const file = basename( path );
	const products = new Map< string, CatalogProduct >();
	const groups = new Map< string, Named >();
	const groupStack: Named[] = [];
	let product: ( CatalogProduct & { id: string | null } ) | null = null;
	const error = await walk(
		path,
		enc ?? ( await xmlEncoding( path ) ),
		( w, tag ) => {
			if ( tag.name === 'Группа' && w.path.includes( 'Классификатор' ) ) {
				groupStack.push( {
					id: '',
					name: '',
					parentId: groupStack.at( -1 )?.id ?? null,
				} );
			} else if ( tag.name === 'Товар' && parentIs( w, 'Товары' ) ) {
				product = {
					id: null,
					sku: null,
					name: null,
					barcode: null,
					unit: null,
					groupId: null,
					line: w.line,
					offered: false,
				};
			} else if ( product && tag.name === 'БазоваяЕдиница' ) {
				const full = tag.attributes.НаименованиеПолное;
				product.unit = typeof full === 'string' ? full : null;
			}
		},
		( w, name ) => {
			const text = w.text.trim();
			const group = groupStack.at( -1 );
			if ( group && parentIs( w, 'Группа' ) && ! product ) {
				if ( name === 'Ид' ) {
					group.id = text;
				} else if ( name === 'Наименование' ) {
					group.name = text;
				}
			}
			if ( name === 'Группа' && group && ! product ) {
				groups.set( group.id, groupStack.pop() as Named );
				return;
			}
			if ( ! product ) {
				return;
			}
			const p = product as CatalogProduct & { id: string | null };
			if ( parentIs( w, 'Товар' ) ) {
				if ( name === 'Ид' ) {
					p.id = text;
				} else if ( name === 'Артикул' ) {
					p.sku = text || null;
				} else if ( name === 'Наименование' ) {
					p.name = text || null;
				} else if ( name === 'Штрихкод' ) {
					p.barcode = text || null;
				} else if ( name === 'БазоваяЕдиница' ) {
					p.unit = text || p.unit;
				}
			} else if ( name === 'Ид' && parentIs( w, 'Группы' ) ) {
				p.groupId ??= text;
			} else if ( name === 'Товар' ) {
				if ( ! p.id ) {
					out.fail( {
						line: p.line,
						file,
						message: '<Товар> without <Ид>',
					} );
				} else {
					const { id, ...rest } = p;
					products.set( id, rest );
				}
				product = null;
			}
		}
	);
	if ( error ) {
		out.fail( { ...error, file } );
	}
	return { products, groups };
}

/**
 * The category path of a group: its names from the root, joined by "/".
 *
 * @param groups  Groups by Ид.
 * @param groupId Group Ид.
 */
function groupPath(
	groups: Map< string, Named >,
	groupId: string | null
): string | null {
	const names: string[] = [];
	let id = groupId;
	while ( id && names.length < 20 ) {
		const g = groups.get( id );
		if ( ! g ) {
			break;
		}
		names.unshift( g.name.replace( /\//g, '-' ) );
		id = g.parentId ?? null;
	}
	return names.length ? names.join( '/' ) : null;
}

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
		: {
				products: new Map< string, CatalogProduct >(),
				groups: new Map< string, Named >(),
			};
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

/**
 * Reads offers.xml into rows.
 *
 * @param path             File path.
 * @param catalog          import.xml's products and groups.
 * @param catalog.products Products by Ид.
 * @param catalog.groups   Groups by Ид.
 * @param opts             Options.
 * @param validate         Validation options.
 * @param out              Collector.
 */
async function readOffers(
	path: string,
	catalog: {
		products: Map< string, CatalogProduct >;
		groups: Map< string, Named >;
	},
	opts: CommerceMlOptions,
	validate: ValidateOptions,
	out: RowCollector
): Promise< void > {
	const file = basename( path );
	const priceTypes: Named[] = [];
	const stores: Named[] = [];
	let named: Named | null = null;
	let offer: OfferElement | null = null;
	let setup: {
		price: string | null;
		purchase: string | null;
		stores: ( string | null )[];
	} | null = null;
	let fatal = false;
	const resolveSetup = ( line: number ) => {
		const price = pickPriceType(
			priceTypes,
			opts.priceType,
			'--price-type'
		);
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
			const s = stores.find(
				( x ) => x.name === w.source || x.id === w.source
			);
			if ( ! s ) {
				problems.push(
					`--warehouse "${ w.source }=${ w.id }": no <Склад> with that Наименование or Ид (${ stores.map( ( x ) => `"${ x.name }"` ).join( ', ' ) || 'none' })`
				);
			}
			return s?.id ?? null;
		} );
		for ( const message of problems ) {
			out.fail( { line, file, message } );
		}
		fatal = problems.length > 0;
		return {
			price: typeof price === 'string' ? price : null,
			purchase: typeof purchase === 'string' ? purchase : null,
			stores: storeIds,
		};
	};
	const error = await walk(
		path,
		opts.encoding ?? ( await xmlEncoding( path ) ),
		( w, tag ) => {
			const name = tag.name;
			if (
				( name === 'ТипЦены' && parentIs( w, 'ТипыЦен' ) ) ||
				( name === 'Склад' && parentIs( w, 'Склады' ) )
			) {
				named = { id: '', name: '' };
			} else if (
				name === 'Предложение' &&
				parentIs( w, 'Предложения' )
			) {
				setup ??= resolveSetup( w.line );
				offer = {
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
			} else if (
				offer &&
				name === 'Склад' &&
				parentIs( w, 'Предложение' )
			) {
				const id = tag.attributes.ИдСклада;
				const q = tag.attributes.КоличествоНаСкладе;
				if ( typeof id === 'string' && typeof q === 'string' ) {
					offer.stock.set( id, q );
				}
			}
		},
		( w, name ) => {
			const text = w.text.trim();
			if ( named && ! offer ) {
				const own = parentIs( w, 'ТипЦены' ) || parentIs( w, 'Склад' );
				if ( own && name === 'Ид' ) {
					named.id = text;
				} else if ( own && name === 'Наименование' ) {
					named.name = text;
				} else if ( name === 'ТипЦены' ) {
					priceTypes.push( named );
					named = null;
				} else if ( name === 'Склад' ) {
					stores.push( named );
					named = null;
				}
				return;
			}
			if ( ! offer ) {
				return;
			}
			const o = offer as OfferElement;
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
			} else if (
				parentIs( w, 'Склад' ) &&
				w.path.includes( 'Остатки' )
			) {
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
				if ( ! fatal && setup ) {
					addOffer( o, setup, catalog, file, validate, out );
				}
				offer = null;
			}
		}
	);
	if ( error ) {
		out.fail( { ...error, file } );
	}
}

/**
 * Turns one <Предложение> into a row.
 *
 * @param o                The offer as read.
 * @param setup            Chosen price types and warehouses.
 * @param setup.price      Price type Ид.
 * @param setup.purchase   Purchase price type Ид.
 * @param setup.stores     Warehouse Ид per --warehouse (null: the total).
 * @param catalog          import.xml's products and groups.
 * @param catalog.products Products by Ид.
 * @param catalog.groups   Groups by Ид.
 * @param file             File name for messages.
 * @param validate         Validation options.
 * @param out              Collector.
 */
function addOffer(
	o: OfferElement,
	setup: {
		price: string | null;
		purchase: string | null;
		stores: ( string | null )[];
	},
	catalog: {
		products: Map< string, CatalogProduct >;
		groups: Map< string, Named >;
	},
	file: string,
	validate: ValidateOptions,
	out: RowCollector
): void {
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
		validate
	);
}
