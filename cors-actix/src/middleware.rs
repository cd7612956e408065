//! The actix-web `Transform` and its `Service`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_service::{Service, Transform};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::{Error, HttpResponse};
use futures_util::future::{ready, Ready};
use pin_project_lite::pin_project;

use crate::log_value::LogValue;
use crate::policy::{PreflightGrant, RequestKind};
use crate::route::{
    enclosing_policy_possible, note_enclosing_policy, route_policy_for, RoutePolicyApplied,
};
use crate::same_origin::is_same_origin;
use crate::Cors;

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        if !self.is_route_level() {
            note_enclosing_policy();
        }
        ready(Ok(CorsMiddleware {
            service,
            cors: self.clone(),
        }))
    }
}

/// The service [`Cors`] wraps around an app, scope or resource; actix-web
/// creates it from `wrap(cors)`.
///
/// ```
/// use actix_web::{test, web, App, HttpResponse};
/// # actix_web::rt::System::new().block_on(async {
/// let cors = cors_actix::Cors::builder().allow_origin("https://app.example.com").build().unwrap();
/// let app = test::init_service(App::new().wrap(cors).route("/", web::get().to(HttpResponse::Ok))).await;
/// let req = test::TestRequest::get().insert_header(("Origin", "https://app.example.com")).to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
/// # });
/// ```
pub struct CorsMiddleware<S> {
    service: S,
    cors: Cors,
}

/// What to do with the inner service's response.
#[derive(Clone)]
enum Decoration {
    /// An actual request: `Some` origin grant, or `None` for a request that
    /// is not a CORS request (no `Origin`, or same-origin).
    Actual(Option<HeaderValue>),
    /// An actual request from an origin the policy refuses: no grant, not
    /// even the `*` of an any-origin policy (which refuses two `Origin`
    /// headers).
    Refused,
    /// A preflight passed through to the app's own OPTIONS handler.
    Preflight(Option<PreflightGrant>),
}

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S::Future, B>;

    actix_service::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let policy = self.cors.policy();
        let decoration = match RequestKind::of(req.head()) {
            RequestKind::NoOrigin => Decoration::Actual(None),
            RequestKind::Preflight { origin, method } => {
                // A `#[cors]` route's own policy answers its preflights, also
                // when this middleware wraps the whole app and sees them first.
                let route = if self.cors.is_route_level() {
                    None
                } else {
                    route_policy_for(&req, method.as_bytes())
                };
                let policy = route.map_or(policy, Cors::policy);
                let verdict = policy.judge_preflight(origin, method, req.head());
                if !policy.passthrough || route.is_some() {
                    let res = policy.preflight_response(verdict);
                    return CorsFuture::ready(req.into_response(res).map_into_right_body());
                }
                Decoration::Preflight(verdict.ok())
            }
            RequestKind::Actual { origin } => {
                let grant = policy.grant_origin(origin, req.head());
                if grant.is_some() && policy.origin.is_any() {
                    Decoration::Actual(grant)
                } else if is_same_origin(&req, origin) {
                    Decoration::Actual(None)
                } else if grant.is_none()
                    && policy.block_disallowed
                    && (self.cors.is_route_level()
                        || route_policy_for(&req, req.method().as_str().as_bytes()).is_none())
                {
                    log::debug!(
                        "CORS request blocked: origin {} not allowed",
                        LogValue(origin.as_bytes())
                    );
                    let res = policy.blocked_response();
                    return CorsFuture::ready(req.into_response(res).map_into_right_body());
                } else if grant.is_none() {
                    log::debug!(
                        "CORS grant withheld: origin {} not allowed",
                        LogValue(origin.as_bytes())
                    );
                    Decoration::Refused
                } else {
                    log::debug!(
                        "CORS request allowed: origin {}",
                        LogValue(origin.as_bytes())
                    );
                    Decoration::Actual(grant)
                }
            }
        };
        CorsFuture::forwarded(self.service.call(req), decoration, self.cors.clone())
    }
}

pin_project! {
    /// The response future of [`CorsMiddleware`]: either the middleware's own
    /// answer (a preflight, a blocked request) or the wrapped service's
    /// response with the policy's headers written over it. Not boxed, so
    /// the middleware adds no allocation per request. See [`CorsMiddleware`]
    /// for an example.
    pub struct CorsFuture<Fut, B> {
        #[pin]
        state: State<Fut, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<Fut, B> {
        /// Answered by the middleware itself (preflight or blocked request).
        Ready { response: Option<ServiceResponse<EitherBody<B>>> },
        /// Waiting for the wrapped service, then decorating its response.
        Forwarded {
            #[pin]
            fut: Fut,
            decoration: Option<Decoration>,
            cors: Cors,
        },
    }
}

impl<Fut, B> CorsFuture<Fut, B> {
    fn ready(response: ServiceResponse<EitherBody<B>>) -> Self {
        Self {
            state: State::Ready {
                response: Some(response),
            },
        }
    }

    fn forwarded(fut: Fut, decoration: Decoration, cors: Cors) -> Self {
        Self {
            state: State::Forwarded {
                fut,
                decoration: Some(decoration),
                cors,
            },
        }
    }
}

impl<Fut, B> Future for CorsFuture<Fut, B>
where
    Fut: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Ready { response } => Poll::Ready(Ok(response
                .take()
                .expect("CorsFuture polled after completion"))),
            StateProj::Forwarded {
                fut,
                decoration,
                cors,
            } => {
                let result = std::task::ready!(fut.poll(cx));
                let decoration = decoration
                    .take()
                    .expect("CorsFuture polled after completion");
                Poll::Ready(match result {
                    Ok(mut res) => {
                        decorate(cors, decoration, res.response_mut());
                        Ok(res.map_into_left_body())
                    }
                    // An error from inside keeps the CORS headers too, so that
                    // the page can read what went wrong; they are added when
                    // actix turns the error into a response.
                    Err(mut err) => {
                        let cors = cors.clone();
                        err.add_response_mapper(move |mut res| {
                            decorate(&cors, decoration.clone(), &mut res);
                            res
                        });
                        Err(err)
                    }
                })
            }
        }
    }
}

/// Writes the policy's headers on a response from the wrapped service.
fn decorate<B>(cors: &Cors, decoration: Decoration, res: &mut HttpResponse<B>) {
    if !cors.is_route_level() && res.extensions().contains::<RoutePolicyApplied>() {
        // A `#[cors]` route answered with its own policy, which replaces
        // this one for that route.
        return;
    }
    let policy = cors.policy();
    match decoration {
        Decoration::Actual(grant) => policy.write_actual(grant, res.headers_mut()),
        Decoration::Refused => policy.write_refused(res.headers_mut()),
        Decoration::Preflight(grant) => policy.write_preflight(grant, res.headers_mut()),
    }
    // Only middleware that is not a route's own reads the mark; without any,
    // the mark would cost an allocation (a response's extensions map is new)
    // for nothing.
    if cors.is_route_level() && enclosing_policy_possible() {
        res.extensions_mut().insert(RoutePolicyApplied);
    }
}
