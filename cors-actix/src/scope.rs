//! A scope with a CORS policy of its own that enclosing `Cors` middleware
//! knows about: [`Cors::scope`].

use actix_service::ServiceFactory;
use actix_web::body::MessageBody;
use actix_web::dev::{AppService, HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{web, Error, Scope};

use crate::resolve::{self, PROBE};
use crate::Cors;

/// The patterns, relative to a scope's prefix, of every path under it: the
/// prefix itself (`""`), and anything after a `/`. U+001F is left out so that
/// probe paths (see [`crate::resolve`]) reach the claims of `#[cors]` routes
/// inside the scope.
fn under_scope(suffix: &str) -> Vec<String> {
    vec![
        suffix.to_owned(),
        format!("/{{cors_actix_rest:[^\\x1f]*}}{suffix}"),
    ]
}

impl Cors {
    /// A `web::scope(path)` whose requests get this policy, replacing the
    /// policy of any `Cors` middleware around it, preflights included:
    /// enclosing middleware answers a preflight for a path in this scope with
    /// this policy. `#[cors]` routes inside the scope keep their own.
    ///
    /// `build` adds the scope's services, guards, data and middleware, as on
    /// any `Scope`.
    ///
    /// ```
    /// use actix_web::{web, App, HttpResponse};
    /// use cors_actix::Cors;
    ///
    /// let global = Cors::builder().allow_origin("https://app.example.com").build().unwrap();
    /// let partner = Cors::builder().allow_origin("https://partner.example").build().unwrap();
    /// let app = App::new().wrap(global).service(
    ///     partner.scope("/partner", |scope| {
    ///         scope.route("/orders", web::get().to(HttpResponse::Ok))
    ///     }),
    /// );
    /// # drop(app);
    /// ```
    ///
    /// A plain `web::scope(..).wrap(cors)` inside another `Cors` cannot be
    /// seen by the enclosing middleware before routing, so there the
    /// outermost policy decides (and a warning says so).
    pub fn scope<T, F>(&self, path: &str, build: F) -> CorsScope<T>
    where
        F: FnOnce(Scope) -> Scope<T>,
    {
        let cors = self.placed(crate::Placement::Scope);
        // The identity comes first in the scope: a lookup of any path under
        // the prefix stops here unless something registered before the scope
        // matches that path.
        let identity = resolve::identity(under_scope(""), &cors, None);
        let scope = build(web::scope(path).service(identity));
        CorsScope { scope, cors }
    }
}

/// A scope with its own CORS policy; made by [`Cors::scope`] and registered
/// with `App::service` / `Scope::service`.
pub struct CorsScope<T> {
    scope: Scope<T>,
    cors: Cors,
}

impl<T, B> HttpServiceFactory for CorsScope<T>
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
{
    fn register(self, config: &mut AppService) {
        // The claim comes last, after the claims of `#[cors]` routes inside.
        let claim = resolve::scope_claim(
            under_scope(&format!("{PROBE}{{cors_actix_method}}")),
            &self.cors,
        );
        let scope = self.scope.service(claim).wrap(self.cors);
        HttpServiceFactory::register(scope, config);
    }
}
