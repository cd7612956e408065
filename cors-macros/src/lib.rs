//! The `#[cors(...)]` attribute of [cors-actix](https://docs.rs/cors-actix),
//! re-exported as `cors_actix::cors`; depend on `cors-actix`, not on this
//! crate.
//!
//! The attribute goes *above* an actix-web route attribute:
//!
//! ```
//! use actix_web::{delete, App, HttpResponse, Responder};
//! use cors_actix::cors;
//!
//! #[cors(origins = ["https://app.example.com"], credentials = true)]
//! #[delete("/api/posts")]
//! async fn delete_posts() -> impl Responder {
//!     HttpResponse::NoContent()
//! }
//!
//! let app = App::new().service(delete_posts);
//! # drop(app);
//! ```
//!
//! It works in three steps, each in its own module: [`parse`] reads the
//! attribute and the route attribute under it into plain structs, [`validate`]
//! checks every value with the same rules as `Cors::builder().build()`
//! (pointing errors at the offending token), and [`expand`] generates the
//! route: its resource, its preflight answer and its policy, all through
//! `::cors_actix::__private`, with no CORS logic of its own. The first two
//! record every mistake in `errors::Errors` and go on, so that one build
//! reports all of them; beside the errors, `expand::fallback` leaves the
//! handler in a form that adds no error of its own.

use proc_macro::TokenStream;

use errors::Errors;

mod errors;
mod expand;
mod parse;
mod validate;

/// Gives one actix-web route its own CORS policy, checked at compile time;
/// see the cors-actix README, section "Per-route policies".
///
/// Write it above `#[get]`, `#[post]`, `#[put]`, `#[patch]`, `#[delete]`,
/// `#[head]` or `#[route(.., method = .., ..)]`. `App::service(handler)`
/// registers the route and answers its preflights, which allow exactly the
/// route's methods.
///
#[doc = include_str!("../KEYS.md")]
///
/// ```
/// use actix_web::{dev::RequestHead, get, route, web, App, HttpResponse, Responder};
/// use cors_actix::cors;
///
/// fn is_partner(origin: &str, _req: &RequestHead) -> bool {
///     origin.ends_with(".partner.example")
/// }
///
/// #[cors(origins = "*", expose = ["x-total-count"], max_age = 600)]
/// #[get("/posts")]
/// async fn list_posts() -> impl Responder {
///     HttpResponse::Ok().insert_header(("x-total-count", "0")).finish()
/// }
///
/// #[cors(origin_fn = is_partner, headers = ["content-type"], credentials = true)]
/// #[route("/partner/orders", method = "POST", method = "PUT")]
/// async fn partner_orders() -> impl Responder {
///     HttpResponse::Accepted()
/// }
///
/// let app = App::new()
///     .service(list_posts)
///     .service(web::scope("/v1").service(partner_orders));
/// # drop(app);
/// ```
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let mut errors = Errors::default();
    let parsed = parse::parse(args.into(), item.clone(), &mut errors);
    let validated = parsed
        .as_ref()
        .and_then(|parsed| validate::validate(parsed, &mut errors));
    let tokens = match errors.finish() {
        Ok(()) => expand::expand(validated.expect("a step that returns nothing records an error")),
        // Every mistake at once, beside a minimal expansion so that no
        // follow-on error joins them.
        Err(errors) => {
            let mut tokens = errors.to_compile_error();
            tokens.extend(parsed.as_ref().map_or(item, expand::fallback));
            tokens
        }
    };
    tokens.into()
}

#[cfg(test)]
mod tests {
    /// KEYS.md, the one list of the keys for users, names exactly the keys
    /// the parser takes, and the README's summary names them all.
    #[test]
    fn the_key_table_lists_every_key_and_no_other() {
        let table = include_str!("../KEYS.md");
        let listed: Vec<&str> = table
            .lines()
            .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
            .collect();
        assert_eq!(listed, crate::parse::KEYS, "cors-macros/KEYS.md rows");
        let readme = include_str!("../../README.md");
        for key in crate::parse::KEYS {
            assert!(
                readme.contains(&format!("`{key}`")),
                "the README's #[cors] summary does not name `{key}`"
            );
        }
    }
}
