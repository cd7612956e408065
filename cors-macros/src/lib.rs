//! The `#[cors(...)]` attribute of [cors-actix](https://docs.rs/cors-actix),
//! re-exported as `cors_actix::cors`; depend on `cors-actix`, not on this
//! crate.
//!
//! The attribute goes *above* an actix-web route attribute:
//!
//! ```ignore
//! #[cors(origins = ["https://app.example.com"], credentials = true)]
//! #[delete("/api/posts")]
//! async fn delete_posts() -> impl Responder { HttpResponse::NoContent() }
//! ```
//!
//! It works in three steps, each in its own module: [`parse`] reads the
//! attribute and the route attribute under it into plain structs, [`validate`]
//! checks every value with the same rules as `Cors::builder().build()`
//! (pointing errors at the offending token), and [`expand`] generates the
//! route: its resource, its preflight answer and its policy, all through
//! `::cors_actix::__private`, with no CORS logic of its own.

use proc_macro::TokenStream;

mod expand;
mod parse;
mod validate;

/// Gives one actix-web route its own CORS policy; see the cors-actix README.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let result = parse::parse(args.into(), item.clone())
        .and_then(validate::validate)
        .map(expand::expand);
    match result {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let mut tokens = error.to_compile_error();
            tokens.extend(parse::fallback(item));
            tokens.into()
        }
    }
}
