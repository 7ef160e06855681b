<?php
/**
 * keyCRM's REST API over the WordPress HTTP API.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\KeyCrm;

use KeyCrmSync\Infrastructure\KeyCrmApi;

/**
 * JSON requests with the bearer key, every one paid from the shared RateBudget. Nothing sleeps
 * through a rate window: when no token comes within $max_wait_ms, or keyCRM answers 429 with a
 * Retry-After longer than that, the call throws (kind `budget` / `rate`) with the time the next
 * request may go, and the budget remembers a 429's Retry-After for every other PHP request of the
 * site. A 429 whose Retry-After fits in $max_wait_ms is waited out like a token and the request
 * sent once more (keyCRM did nothing on a 429, so a create is safe to repeat).
 */
final class Client {

	/** keyCRM's batch limits (API-NOTES §a). */
	public const IMPORT_PRODUCTS = 100;
	public const CREATE_OFFERS   = 100;
	public const UPDATE_OFFERS   = 10000;
	public const UPDATE_STOCKS   = 10000;
	public const PAGE_SIZE       = 50;

	/** Longest Retry-After honoured (seconds), as the Node sender. */
	public const MAX_RETRY_AFTER = 600.0;

	/** Largest response body read (bytes). */
	private const MAX_BODY = 8388608;

	/** Requests sent by this object (by "METHOD /template"). */
	private array $sent = array();

	/**
	 * Constructor.
	 *
	 * @param string     $api_key     keyCRM API key.
	 * @param RateBudget $budget      Shared rate budget.
	 * @param float      $max_wait_ms Longest wait for a token inside one call.
	 * @param int        $timeout     Seconds per request.
	 */
	public function __construct( private string $api_key, private RateBudget $budget, private float $max_wait_ms = 2000, private int $timeout = 30 ) {
	}

	/**
	 * Limits the wait for a token (e.g. to what is left of a time budget).
	 *
	 * @param float $ms Milliseconds.
	 */
	public function set_max_wait( float $ms ): void {
		$this->max_wait_ms = max( 0, $ms );
	}

	/**
	 * Requests sent, total.
	 */
	public function total(): int {
		return (int) array_sum( $this->sent );
	}

	/**
	 * Requests sent by route.
	 *
	 * @return array<string, int>
	 */
	public function by_route(): array {
		return $this->sent;
	}

	/**
	 * PUT /offers/stocks.
	 *
	 * @param int                                     $warehouse_id Warehouse.
	 * @param list<array{sku:string, quantity:float}> $rows         ≤ 10,000 rows.
	 */
	public function update_stocks( int $warehouse_id, array $rows ): void {
		$this->bulk(
			'PUT',
			'/offers/stocks',
			'/offers/stocks',
			array(
				'warehouse_id' => $warehouse_id,
				'stocks'       => $rows,
			)
		);
	}

	/**
	 * PUT /offers (by sku).
	 *
	 * @param list<array<string, mixed>> $rows ≤ 10,000 rows.
	 */
	public function update_offers( array $rows ): void {
		$this->bulk( 'PUT', '/offers', '/offers', array( 'offers' => $rows ) );
	}

	/**
	 * POST /products/import (201 {status:true}: no ids).
	 *
	 * @param list<array<string, mixed>> $products ≤ 100 products.
	 */
	public function import_products( array $products ): void {
		$this->bulk( 'POST', '/products/import', '/products/import', array( 'products' => $products ) );
	}

	/**
	 * POST /products: one product; returns its id.
	 *
	 * @param array<string, mixed> $body Product.
	 * @throws KeyCrmError When the answer has no id.
	 */
	public function create_product( array $body ): int {
		$out = $this->call( 'POST', '/products', '/products', $body );
		$id  = is_array( $out ) ? (int) ( $out['id'] ?? 0 ) : 0;
		if ( $id <= 0 ) {
			throw new KeyCrmError( 'unknown', 'keyCRM created a product but its answer has no id.' );
		}
		return $id;
	}

	/**
	 * POST /products/{id}/offers.
	 *
	 * @param int                        $product_id keyCRM product.
	 * @param list<array<string, mixed>> $offers     ≤ 100 offers.
	 */
	public function create_offers( int $product_id, array $offers ): void {
		$this->bulk( 'POST', '/products/' . $product_id . '/offers', '/products/{id}/offers', array( 'offers' => $offers ) );
	}

	/**
	 * PUT /products/{id}.
	 *
	 * @param int                  $product_id keyCRM product.
	 * @param array<string, mixed> $body       Fields.
	 */
	public function update_product( int $product_id, array $body ): void {
		$this->call( 'PUT', '/products/' . $product_id, '/products/{id}', $body );
	}

	/**
	 * Every page of GET /products/categories, by (keyCRM parent id, name): see category_key().
	 *
	 * @return array<string, int>
	 */
	public function category_tree(): array {
		$tree = array();
		$page = 1;
		do {
			$out  = $this->call(
				'GET',
				'/products/categories?' . http_build_query(
					array(
						'limit' => self::PAGE_SIZE,
						'page'  => $page,
					),
					'',
					'&',
					PHP_QUERY_RFC3986
				),
				'/products/categories',
				null
			);
			$data = is_array( $out ) && isset( $out['data'] ) && is_array( $out['data'] ) ? array_values( array_filter( $out['data'], 'is_array' ) ) : array();
			foreach ( $data as $c ) {
				$key = self::category_key( isset( $c['parent_id'] ) ? (int) $c['parent_id'] : null, (string) ( $c['name'] ?? '' ) );
				// The oldest of same-named siblings wins, whatever the page order.
				if ( ! isset( $tree[ $key ] ) || $tree[ $key ] > (int) $c['id'] ) {
					$tree[ $key ] = (int) $c['id'];
				}
			}
			$last = is_array( $out ) ? max( 1, (int) ( $out['last_page'] ?? 1 ) ) : 1;
			++$page;
		} while ( $page <= $last && array() !== $data );
		return $tree;
	}

	/**
	 * POST /products/categories: one category; returns its id.
	 *
	 * @param string   $name      Name.
	 * @param int|null $parent_id keyCRM parent (null: a root category).
	 * @throws KeyCrmError When the answer has no id.
	 */
	public function create_category( string $name, ?int $parent_id ): int {
		$out = $this->call(
			'POST',
			'/products/categories',
			'/products/categories',
			array(
				'name'      => $name,
				'parent_id' => $parent_id,
			)
		);
		$id  = is_array( $out ) ? (int) ( $out['id'] ?? 0 ) : 0;
		if ( $id <= 0 ) {
			throw new KeyCrmError( 'unknown', 'keyCRM created a category but its answer has no id.' );
		}
		return $id;
	}

	/**
	 * Key of a keyCRM category in category_tree(): parent and name (case and surrounding spaces
	 * ignored), as the Node sender matches them.
	 *
	 * @param int|null $parent_id keyCRM parent id.
	 * @param string   $name   Name.
	 */
	public static function category_key( ?int $parent_id, string $name ): string {
		return ( $parent_id ?? 0 ) . "\0" . mb_strtolower( trim( $name ), 'UTF-8' );
	}

	/**
	 * One page of GET /offers.
	 *
	 * @param array<string, string|int> $query Query (filter[sku], limit, page, sort).
	 * @return array{data:list<array<string, mixed>>, total:int, last_page:int}
	 */
	public function list_offers( array $query ): array {
		$out  = $this->call( 'GET', '/offers?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ), '/offers', null );
		$data = self::page_data( $out, 'GET /offers' );
		return array(
			'data'      => $data,
			'total'     => is_array( $out ) ? (int) ( $out['total'] ?? count( $data ) ) : 0,
			'last_page' => is_array( $out ) ? max( 1, (int) ( $out['last_page'] ?? 1 ) ) : 1,
		);
	}

	/**
	 * One page of GET /offers/stocks (with the per-warehouse breakdown when $details).
	 *
	 * @param int  $page    Page (from 1).
	 * @param bool $details filter[details]=true.
	 * @return array{data:list<array<string, mixed>>, total:int, last_page:int}
	 */
	public function list_stocks( int $page, bool $details ): array {
		$query = array(
			'limit' => self::PAGE_SIZE,
			'page'  => $page,
		);
		if ( $details ) {
			$query['filter[details]'] = 'true';
		}
		$out  = $this->call( 'GET', '/offers/stocks?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ), '/offers/stocks', null );
		$data = self::page_data( $out, 'GET /offers/stocks' );
		return array(
			'data'      => $data,
			'total'     => is_array( $out ) ? (int) ( $out['total'] ?? count( $data ) ) : 0,
			'last_page' => is_array( $out ) ? max( 1, (int) ( $out['last_page'] ?? 1 ) ) : 1,
		);
	}

	/**
	 * Offers holding these SKUs (≤ 50 SKUs a request, every page), by SKU.
	 *
	 * @param list<string> $skus SKUs (none with a comma).
	 * @return array<string, list<array<string, mixed>>>
	 */
	public function find_offers_by_sku( array $skus ): array {
		$found = array();
		foreach ( array_chunk( array_values( array_unique( $skus ) ), self::PAGE_SIZE ) as $chunk ) {
			$wanted = array_fill_keys( $chunk, true );
			$page   = 1;
			do {
				$res = $this->list_offers(
					array(
						'filter[sku]' => implode( ',', $chunk ),
						'sort'        => 'id',
						'limit'       => self::PAGE_SIZE,
						'page'        => $page,
					)
				);
				foreach ( $res['data'] as $offer ) {
					$sku = isset( $offer['sku'] ) ? (string) $offer['sku'] : '';
					// Unknown filters are ignored by keyCRM: only the SKUs asked for count.
					if ( isset( $wanted[ $sku ] ) ) {
						$found[ $sku ][] = $offer;
					}
				}
				++$page;
			} while ( $page <= $res['last_page'] && array() !== $res['data'] );
		}
		return $found;
	}

	/**
	 * A bulk write, whose answer is `{"status": true}` (as the Node sender requires); any other
	 * 2xx answer leaves it unknown whether keyCRM did the work.
	 *
	 * @param string               $method   HTTP method.
	 * @param string               $path     Path below the API root.
	 * @param string               $template Route template.
	 * @param array<string, mixed> $body     JSON body.
	 * @throws KeyCrmError On any failure, or another answer than {"status": true}.
	 */
	private function bulk( string $method, string $path, string $template, array $body ): void {
		$out = $this->call( $method, $path, $template, $body );
		if ( ! is_array( $out ) || true !== ( $out['status'] ?? null ) ) {
			throw new KeyCrmError( 'POST' === $method ? 'unknown' : 'transient', $method . ' ' . $template . ': unexpected answer (no "status": true)', 200 ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- a message for the outbox and logs, never HTML.
		}
	}

	/**
	 * One request: takes a token, sends, maps the answer.
	 *
	 * @param string                    $method   HTTP method.
	 * @param string                    $path     Path below the API root (with query).
	 * @param string                    $template Route template (for counts and messages).
	 * @param array<string, mixed>|null $body     JSON body.
	 * @param bool                      $again    This is the repeat after a short 429.
	 * @return mixed Decoded JSON.
	 * @throws KeyCrmError On any failure.
	 */
	private function call( string $method, string $path, string $template, ?array $body, bool $again = false ) {
		// phpcs:disable WordPress.Security.EscapeOutput.ExceptionNotEscaped -- messages for the outbox and logs, never HTML.
		$wait = $this->budget->acquire( $this->max_wait_ms );
		if ( $wait > 0 ) {
			throw new KeyCrmError( 'budget', 'The request budget has no token now.', 0, microtime( true ) + $wait / 1000 );
		}
		$route                = $method . ' ' . $template;
		$this->sent[ $route ] = ( $this->sent[ $route ] ?? 0 ) + 1;
		$headers              = array(
			'Authorization' => 'Bearer ' . $this->api_key,
			'Accept'        => 'application/json',
		);
		$args                 = array(
			'method'              => $method,
			'timeout'             => $this->timeout,
			'redirection'         => 0,
			'headers'             => $headers,
			'limit_response_size' => self::MAX_BODY,
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = (string) wp_json_encode( $body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES );
		}
		$response = wp_remote_request( KeyCrmApi::root() . $path, $args );
		$create   = 'POST' === $method;
		if ( is_wp_error( $response ) ) {
			throw new KeyCrmError( $create ? 'unknown' : 'transient', $route . ': ' . $response->get_error_message() );
		}
		$status  = (int) wp_remote_retrieve_response_code( $response );
		$raw     = (string) wp_remote_retrieve_body( $response );
		$decoded = json_decode( $raw, true );
		if ( $status >= 200 && $status < 300 ) {
			// A proxy's page, a cut body or an empty 200 is no answer: never read as "nothing there".
			if ( 204 !== $status && ( JSON_ERROR_NONE !== json_last_error() || ! is_array( $decoded ) ) ) {
				throw new KeyCrmError( $create ? 'unknown' : 'transient', $route . ': HTTP ' . $status . ' with a body that is not a JSON object (' . self::snippet( $raw ) . ')', $status );
			}
			return $decoded;
		}
		$message = $route . ': HTTP ' . $status . ( is_array( $decoded ) && isset( $decoded['message'] ) && is_string( $decoded['message'] ) ? ' ' . $decoded['message'] : '' );
		if ( 429 === $status ) {
			$seconds = self::retry_after( (string) wp_remote_retrieve_header( $response, 'retry-after' ) );
			$until   = microtime( true ) + $seconds;
			$this->budget->block_until( $until );
			if ( ! $again && $seconds * 1000 <= $this->max_wait_ms ) {
				return $this->call( $method, $path, $template, $body, true );
			}
			throw new KeyCrmError( 'rate', $message, 429, $until );
		}
		if ( 401 === $status || 403 === $status ) {
			throw new KeyCrmError( 'auth', $message, $status );
		}
		if ( 422 === $status || 400 === $status ) {
			$errors = is_array( $decoded ) && isset( $decoded['errors'] ) && is_array( $decoded['errors'] ) ? $decoded['errors'] : array();
			throw new KeyCrmError( 'validation', $message, $status, null, $errors );
		}
		if ( $status >= 500 || 408 === $status || 0 === $status ) {
			throw new KeyCrmError( $create ? 'unknown' : 'transient', $message, $status );
		}
		throw new KeyCrmError( 'rejected', $message, $status );
		// phpcs:enable
	}

	/**
	 * The rows of a page answer; an answer without a `data` list is refused (read as an empty
	 * page it would make every SKU look absent from keyCRM, and be created again).
	 *
	 * @param mixed  $out   Decoded answer.
	 * @param string $route Route (for the message).
	 * @return list<array<string, mixed>>
	 * @throws KeyCrmError When the answer is not a page.
	 */
	private static function page_data( $out, string $route ): array {
		if ( ! is_array( $out ) || ! isset( $out['data'] ) || ! is_array( $out['data'] ) || ! array_is_list( $out['data'] ) ) {
			throw new KeyCrmError( 'transient', $route . ': unexpected answer (no "data" list)', 200 ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- a message for the outbox and logs, never HTML.
		}
		return array_values( array_filter( $out['data'], 'is_array' ) );
	}

	/**
	 * The start of a body for a message: printable characters only, at most 80.
	 *
	 * @param string $raw Body.
	 */
	private static function snippet( string $raw ): string {
		$text = trim( (string) preg_replace( '/[^\x20-\x7E]+/', ' ', substr( $raw, 0, 200 ) ) );
		return '' === $text ? 'empty' : substr( $text, 0, 80 );
	}

	/**
	 * Seconds a Retry-After header asks for (delta seconds or an HTTP date), at most
	 * MAX_RETRY_AFTER (keyCRM's window is a minute: a longer value is a misbehaving proxy, and
	 * waiting it out would stop the runner for hours); 60 when absent or not understood (a
	 * negative number, garbage).
	 *
	 * @param string $header Header value.
	 */
	public static function retry_after( string $header ): float {
		$header = trim( $header );
		if ( 1 === preg_match( '/^\d+(\.\d+)?$/', $header ) ) {
			return min( self::MAX_RETRY_AFTER, (float) $header );
		}
		if ( '' === $header || 1 !== preg_match( '/[a-z]/i', $header ) ) {
			return 60.0;
		}
		$at = strtotime( $header );
		return false === $at ? 60.0 : min( self::MAX_RETRY_AFTER, max( 0.0, $at - microtime( true ) ) );
	}
}
