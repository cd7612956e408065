//! Cross-Origin Resource Sharing for actix-web, correct to the WHATWG Fetch
//! standard.
//!
//! One policy engine, applied two ways:
//! - [`Cors`], an actix-web middleware, for a whole `App`, a `Scope` or a
//!   `Resource`;
//! - `#[cors(...)]` (feature `macros`, on by default), a per-route attribute
//!   checked at compile time, which also answers the route's preflights.
//!
//! ```
//! use actix_web::{web, App, HttpResponse};
//! use cors_actix::Cors;
//!
//! # fn main() -> Result<(), cors_actix::CorsConfigError> {
//! // Built once, before the server starts: a bad setting fails here.
//! let cors = Cors::builder()
//!     .allow_origin("https://app.example.com")
//!     .allow_methods(["GET", "POST", "DELETE"])
//!     .allow_headers(["content-type"])
//!     .build()?;
//!
//! let app = App::new()
//!     .wrap(cors.clone())
//!     .route("/api/posts", web::get().to(HttpResponse::Ok));
//! # drop(app);
//! # Ok(())
//! # }
//! ```
//!
//! What each request gets is listed in the README's behaviour table.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod allow_headers;
mod allow_methods;
mod allow_origin;
mod builder;
#[cfg(feature = "serde")]
mod config;
mod error;
mod explain;
mod expose_headers;
mod headers;
mod log_value;
mod max_age;
mod middleware;
mod origin_list;
#[cfg(feature = "async-origins")]
mod origin_lookup;
#[cfg(feature = "regex")]
mod origin_regex;
mod policy;
mod request_headers;
mod resolve;
mod route;
mod same_origin;
mod scope;
mod vary;

use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub use allow_methods::DEFAULT_METHODS;
pub use builder::CorsBuilder;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use config::CorsConfig;
pub use error::CorsConfigError;
pub use explain::{Check, ExplainedRequest, Explanation};
pub use middleware::{CorsFuture, CorsMiddleware};
pub use origin_list::OriginList;
#[cfg(feature = "async-origins")]
#[cfg_attr(docsrs, doc(cfg(feature = "async-origins")))]
pub use origin_lookup::{LookupAnswer, OriginLookup};
pub use request_headers::{MAX_REQUESTED_HEADERS, MAX_REQUEST_HEADERS_LEN};
pub use scope::CorsScope;

/// Gives one route its own CORS policy, checked at compile time; see the
/// README's "Per-route policies" section.
#[cfg(feature = "macros")]
#[cfg_attr(docsrs, doc(cfg(feature = "macros")))]
pub use cors_macros::cors;

use policy::CorsPolicy;

// Every Rust example in the README compiles (and runs, unless it starts a
// server) as part of the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

/// A CORS policy, usable as actix-web middleware.
///
/// Cheap to clone (the policy is shared and immutable): build it once, outside
/// `HttpServer::new`'s closure, so that a configuration error stops start-up
/// instead of surfacing from a worker.
///
/// ```
/// use actix_web::{web, App, HttpResponse};
/// use cors_actix::Cors;
///
/// let cors = Cors::builder().allow_origin("https://app.example.com").build().unwrap();
/// let app = App::new()
///     .service(web::scope("/api").wrap(cors.clone()).route("/posts", web::get().to(HttpResponse::Ok)))
///     .service(web::resource("/status").wrap(cors).to(HttpResponse::Ok));
/// # drop(app);
/// ```
#[derive(Clone)]
pub struct Cors {
    shared: Arc<Shared>,
    placement: Placement,
}

/// What every copy of one built policy shares.
struct Shared {
    policy: CorsPolicy,
    /// Settings that have no effect or are risky, found at `build()`.
    warnings: Vec<String>,
    /// Set once this policy, as plain middleware, found itself inside
    /// another `Cors` (warned about once).
    warned_nested: AtomicBool,
}

/// Where a `Cors` is applied; decides its place in the precedence rule.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Placement {
    /// `wrap(cors)` on an app, scope or resource.
    Middleware,
    /// A `#[cors]` route's own policy.
    Route,
    /// The policy of a [`Cors::scope`].
    Scope,
}

impl Cors {
    /// Starts a policy; see [`CorsBuilder`].
    pub fn builder() -> CorsBuilder {
        CorsBuilder::default()
    }

    /// A policy for local development: any origin, any method, any header,
    /// every response header exposed, and never credentials.
    ///
    /// ```
    /// let cors = cors_actix::Cors::permissive();
    /// # drop(cors);
    /// ```
    pub fn permissive() -> Self {
        Self::builder()
            .allow_any_origin()
            .allow_any_method()
            .allow_any_header()
            .expose_any_header()
            .build()
            .expect("the permissive policy is valid")
    }

    fn from_policy(policy: CorsPolicy, warnings: Vec<String>) -> Self {
        Self {
            shared: Arc::new(Shared {
                policy,
                warnings,
                warned_nested: AtomicBool::new(false),
            }),
            placement: Placement::Middleware,
        }
    }

    pub(crate) fn policy(&self) -> &CorsPolicy {
        &self.shared.policy
    }

    /// The settings of this policy that have no effect or are risky, each
    /// with the reason and the fix: an allowed request header browsers never
    /// let a page set (`Cookie`), an exposed `Set-Cookie`, the origin
    /// `"null"` or a subdomain pattern together with credentials. `build()`
    /// also logs each one once, at `warn` level; none is an error (the
    /// `#[cors]` attribute refuses the ones that never work).
    ///
    /// ```
    /// use cors_actix::Cors;
    /// let cors = Cors::builder()
    ///     .allow_origin("https://*.example.com")
    ///     .allow_credentials(true)
    ///     .build()
    ///     .unwrap();
    /// assert!(cors.warnings()[0].contains("list the subdomains"));
    /// ```
    pub fn warnings(&self) -> &[String] {
        &self.shared.warnings
    }

    pub(crate) fn placement(&self) -> Placement {
        self.placement
    }

    pub(crate) fn warned_nested(&self) -> &AtomicBool {
        &self.shared.warned_nested
    }

    pub(crate) fn same_policy(&self, other: &Cors) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// The same policy, applied at another place.
    pub(crate) fn placed(&self, placement: Placement) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            placement,
        }
    }
}

impl fmt::Debug for Cors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cors")
            .field("policy", self.policy())
            .field("placement", &self.placement)
            .finish()
    }
}

/// Used by the code `#[cors]` expands to. Not a public API: it may change in
/// any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::route::RouteRegistration;
    pub use actix_web::dev::{AppService, HttpServiceFactory};
    pub use actix_web::{Handler, HttpResponse};
    pub use std::sync::LazyLock;

    /// The function of `origin_fn = path`, a plain function: a compile
    /// error about its signature points at the path the user wrote.
    pub fn origin_fn(
        allow: fn(&str, &actix_web::dev::RequestHead) -> bool,
    ) -> fn(&str, &actix_web::dev::RequestHead) -> bool {
        allow
    }

    /// A status code the macro already checked to be 2xx.
    pub fn status(code: u16) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::from_u16(code)
            .unwrap_or(actix_web::http::StatusCode::NO_CONTENT)
    }

    /// A `#[cors(policy = path)]` route's policy, built by the user's
    /// function the first time the route is registered.
    pub fn run_time_policy(build: fn() -> crate::Cors) -> crate::Cors {
        build()
    }

    /// Builds a `#[cors]` route's policy. The macro already checked every
    /// value with the same rules, so a failure here is a bug in cors-actix.
    pub fn build_route_policy(builder: crate::CorsBuilder) -> crate::Cors {
        match builder.build() {
            Ok(cors) => cors,
            Err(e) => panic!("cors-actix bug: #[cors] accepted a policy that build() refuses: {e}"),
        }
    }
}
