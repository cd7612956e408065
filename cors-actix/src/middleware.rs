//! The actix-web `Transform` and its `Service`.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_service::{Service, Transform};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::{Error, HttpMessage, HttpResponse};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::future::{ready, Ready};
use pin_project_lite::pin_project;

use crate::log_value::LogValue;
use crate::policy::{Origin, PreflightGrant, RequestKind};
use crate::resolve::{self, Judge};
use crate::same_origin::is_same_origin;
use crate::{Cors, Placement};

thread_local! {
    /// Whether an app built on this thread uses plain `Cors` middleware, and
    /// whether it (or another app here) does so twice: only then may one
    /// wrap the other there, the same policy in itself included. Counted
    /// per thread, as an app is built on the thread that serves it: a
    /// server whose workers each build one app with one `Cors` does not pay
    /// for the nesting check.
    static PLAIN_MIDDLEWARE: Cell<bool> = const { Cell::new(false) };
    static SEVERAL_PLAIN_MIDDLEWARE: Cell<bool> = const { Cell::new(false) };
}
/// Set once a layer that may enclose a registered one (plain middleware, a
/// `Cors::scope`) is built; until then registered layers need not record
/// their decisions on requests.
static ENCLOSING_POSSIBLE: AtomicBool = AtomicBool::new(false);

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
        // Built before the app serves any request, on the thread that runs it.
        match self.placement() {
            Placement::Middleware => {
                if PLAIN_MIDDLEWARE.replace(true) {
                    SEVERAL_PLAIN_MIDDLEWARE.set(true);
                }
                ENCLOSING_POSSIBLE.store(true, Ordering::Release);
            }
            Placement::Scope => ENCLOSING_POSSIBLE.store(true, Ordering::Release),
            Placement::Route => {}
        }
        ready(Ok(CorsMiddleware {
            service: Rc::new(service),
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
    /// Shared with a response future that waits for an origin lookup
    /// before calling it.
    service: Rc<S>,
    cors: Cors,
}

impl<S> Clone for CorsMiddleware<S> {
    fn clone(&self) -> Self {
        Self {
            service: Rc::clone(&self.service),
            cors: self.cors.clone(),
        }
    }
}

#[cfg(feature = "async-origins")]
use crate::origin_lookup::Pending;
/// Without the `async-origins` feature no request waits for a lookup.
#[cfg(not(feature = "async-origins"))]
enum Pending {}

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
    /// A preflight passed through to the app's own OPTIONS handler (boxed:
    /// rare, and it would make every request's future larger to move).
    Preflight(Option<Box<PreflightGrant>>),
    /// Nothing: the response is already final (answered by a registered
    /// layer), or an enclosing plain middleware decides.
    Leave,
}

/// A registered layer's (`#[cors]` route, `Cors::scope`) decision, kept for
/// the request (see [`decisions`]) so that enclosing layers apply it instead
/// of their own, also to a response that middleware in between rebuilt.
struct Decided {
    cors: Cors,
    decoration: Decoration,
}

/// Where registered layers leave their decisions for the layers around them.
///
/// Not the request's extensions alone: a value there is boxed, and an
/// enclosing layer must also find the decision when middleware in between
/// turned the answer into an error, and the request is gone. So each worker
/// thread keeps one small map, keyed by the address of the request's head
/// (actix serves a request on one thread), whose capacity is reused. An
/// entry exists only while a layer that reads decisions has the request in
/// flight: that layer [`expect`](decisions::expect)s before passing the
/// request on, and the guard it keeps in its response future removes the
/// entry when the future ends, completed or dropped. A layer that decides
/// only fills an entry that is expected.
///
/// A head's address is reused by a later request once its request is gone,
/// and middleware between the layers may drop a request while the layer
/// around it still waits (a tarpit, a delayed refusal), its guard alive. So
/// every request that enters a reading layer gets a generation of its own
/// (the first reading layer marks the request, with a zero-sized value in
/// its extensions, which dies with the request): finding an entry for an
/// unmarked request, the layer knows the entry's decision, if any, belongs
/// to a request that is gone, and starts the entry over; a decision counts
/// only for the generation it was made in, and a guard reads only its own.
mod decisions {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use std::num::NonZeroUsize;

    use actix_web::{HttpMessage, HttpRequest};

    use super::Decided;

    type Hasher = foldhash::fast::FixedState;

    /// Per request: how many layers expect a decision, the generation of
    /// the request the entry is for, and the decision of the innermost
    /// registered layer that made one.
    struct Entry {
        expecting: u32,
        generation: u64,
        decided: Option<Decided>,
    }

    /// Set on a request by the first layer that expects a decision for it.
    #[derive(Clone, Copy)]
    struct Expected;

    thread_local! {
        static ENTRIES: RefCell<HashMap<usize, Entry, Hasher>> =
            const { RefCell::new(HashMap::with_hasher(Hasher::with_seed(0))) };
        static GENERATIONS: Cell<u64> = const { Cell::new(0) };
    }

    fn key(req: &HttpRequest) -> usize {
        std::ptr::from_ref(req.head()) as usize
    }

    fn next_generation() -> u64 {
        GENERATIONS.with(|generations| {
            let next = generations.get().wrapping_add(1);
            generations.set(next);
            next
        })
    }

    /// Held by a layer that will read the request's decision; the entry
    /// goes when the last such layer's guard does.
    pub(super) struct Expecting {
        key: NonZeroUsize,
        generation: u64,
    }

    /// Asks for the decision of a registered layer inside, for `req`.
    pub(super) fn expect(req: &HttpRequest) -> Expecting {
        let key = NonZeroUsize::new(key(req)).expect("a reference is never null");
        let first = !req.extensions().contains::<Expected>();
        if first {
            req.extensions_mut().insert(Expected);
        }
        let (generation, stale) = ENTRIES.with(|entries| {
            let mut entries = entries.borrow_mut();
            let entry = entries.entry(key.get()).or_insert_with(|| Entry {
                expecting: 0,
                generation: next_generation(),
                decided: None,
            });
            // An entry that is there before this request's first reading
            // layer is an earlier request's, whose head this one reuses.
            let stale = if first && entry.expecting > 0 {
                entry.generation = next_generation();
                entry.decided.take()
            } else {
                None
            };
            entry.expecting += 1;
            (entry.generation, stale)
        });
        drop(stale); // outside the map's borrow
        Expecting { key, generation }
    }

    impl Drop for Expecting {
        fn drop(&mut self) {
            // `try_with`: a guard dropped while the thread winds down.
            let removed = ENTRIES.try_with(|entries| {
                let mut entries = entries.borrow_mut();
                let key = self.key.get();
                let entry = entries.get_mut(&key)?;
                entry.expecting -= 1;
                if entry.expecting == 0 {
                    entries.remove(&key)
                } else {
                    None
                }
            });
            drop(removed); // outside the map's borrow
        }
    }

    /// Records a registered layer's decision, when a layer around expects
    /// one and no layer further inside made one.
    pub(super) fn record(req: &HttpRequest, decided: impl FnOnce() -> Decided) {
        // Only into an entry of this request's own: an unmarked request has
        // no reading layer around it, and an entry at its head's address is
        // an earlier request's.
        if !req.extensions().contains::<Expected>() {
            return;
        }
        ENTRIES.with(|entries| {
            if let Some(entry) = entries.borrow_mut().get_mut(&key(req)) {
                if entry.decided.is_none() {
                    entry.decided = Some(decided());
                }
            }
        });
    }

    /// How many requests have an entry on this thread.
    #[cfg(test)]
    pub(super) fn len() -> usize {
        ENTRIES.with(|entries| entries.borrow().len())
    }

    /// What `f` makes of the decision recorded for the request `guard` was
    /// made for, if any: only a decision of the guard's own generation
    /// counts (the request may be gone: an error from inside).
    pub(super) fn with_own<R>(guard: &Expecting, f: impl FnOnce(&Decided) -> R) -> Option<R> {
        ENTRIES.with(|entries| {
            let entries = entries.borrow();
            let entry = entries.get(&guard.key.get())?;
            if entry.generation != guard.generation {
                return None;
            }
            entry.decided.as_ref().map(f)
        })
    }
}

/// Marks a response (from an error) whose headers a registered layer wrote.
#[derive(Clone, Copy)]
struct DecidedResponse;

/// Set on a request by plain middleware, so that plain middleware inside
/// knows it is nested.
#[derive(Clone, Copy)]
struct SeenByMiddleware;

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S, B>;

    actix_service::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if self.cors.placement() == Placement::Middleware && self.nested_in_middleware(&req) {
            return CorsFuture::forwarded(
                self.service.call(req),
                Decoration::Leave,
                self.cors.clone(),
                None,
            );
        }
        self.decide(req, true)
    }
}

impl<S, B> CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    /// Decides the request: answers it here or forwards it. When its origin
    /// must first be looked up (and `may_look_up`), waits for the lookup and
    /// decides again with the answer.
    fn decide(&self, req: ServiceRequest, may_look_up: bool) -> CorsFuture<S, B> {
        #[cfg(not(feature = "async-origins"))]
        let _ = may_look_up;
        let placement = self.cors.placement();
        let policy = self.cors.policy();
        let decoration = match RequestKind::of(req.head()) {
            RequestKind::NoOrigin => Decoration::Actual(None),
            RequestKind::Preflight { origin, method } => {
                let judge = match placement {
                    Placement::Route => {
                        resolve::judge_routed(req.request(), method.as_bytes(), &self.cors)
                    }
                    _ => resolve::judge(req.request(), method.as_bytes()),
                };
                let judge_cors = match judge {
                    Judge::Own => &self.cors,
                    Judge::Registered(ref cors) => cors,
                    Judge::Unknown => {
                        let res = crate::policy::unknown_route_response();
                        return self.ready(req, res);
                    }
                };
                let policy = judge_cors.policy();
                #[cfg(feature = "async-origins")]
                if may_look_up {
                    if let Some(pending) = policy.pending_lookup(origin, req.head()) {
                        return self.looking_up(pending, req);
                    }
                }
                let verdict = policy.judge_preflight(origin, method, req.head());
                if !policy.passthrough {
                    let res = policy.preflight_response(verdict);
                    return self.ready(req, res);
                }
                if !judge_cors.same_policy(&self.cors) {
                    // The registered layer the router reaches answers it.
                    return self.forward(
                        req,
                        Decoration::Preflight(verdict.grant().map(Box::new)),
                        judge_cors.clone(),
                    );
                }
                Decoration::Preflight(verdict.grant().map(Box::new))
            }
            RequestKind::Actual { origin } => {
                let decoration = actual_decoration(policy, req.request(), origin);
                #[cfg(feature = "async-origins")]
                if may_look_up {
                    let granted = matches!(decoration, Some(Decoration::Actual(Some(_))));
                    if let Some(pending) = self.lookup_first(&req, origin, granted) {
                        return self.looking_up(pending, req);
                    }
                }
                match decoration {
                    Some(decoration) => decoration,
                    None if policy.block_disallowed && self.blocks(&req) => {
                        log::debug!(
                            "CORS request blocked: origin {} not allowed",
                            LogValue(origin.as_bytes())
                        );
                        let res = policy.blocked_response();
                        return self.ready(req, res);
                    }
                    None => Decoration::Refused,
                }
            }
        };
        self.forward(req, decoration, self.cors.clone())
    }

    /// Passes the request on, to be decorated with `cors`'s `decoration`
    /// unless a registered layer inside decides it.
    #[inline(always)]
    fn forward(&self, req: ServiceRequest, decoration: Decoration, cors: Cors) -> CorsFuture<S, B> {
        // Before the call: the layers inside record while it runs.
        let expecting = self
            .reads_decisions()
            .then(|| decisions::expect(req.request()));
        CorsFuture::forwarded(self.service.call(req), decoration, cors, expecting)
    }
}

impl<S> CorsMiddleware<S> {
    /// Whether this layer applies the decisions of registered layers inside
    /// it: plain middleware, once registered policies exist, and scopes.
    fn reads_decisions(&self) -> bool {
        match self.cors.placement() {
            Placement::Middleware => resolve::any_registered(),
            Placement::Scope => true,
            Placement::Route => false,
        }
    }
}

/// What an actual request with an `Origin` gets from `policy`; `None` for an
/// origin the policy refuses and blocks.
///
/// Same-origin detection matters only there: a same-origin request is never
/// blocked. An allowed origin keeps its grant even when it is the request's
/// own (the browser ignores CORS headers on a same-origin response), and a
/// refused one gets the same headers either way, so neither pays for it.
fn actual_decoration(
    policy: &crate::policy::CorsPolicy,
    req: &actix_web::HttpRequest,
    origin: Origin<'_>,
) -> Option<Decoration> {
    match policy.grant_origin(origin, req.head()) {
        Some(grant) => Some(Decoration::Actual(Some(grant))),
        None if !policy.block_disallowed => Some(Decoration::Refused),
        None if is_same_origin(req, origin, policy.trust_forwarded_headers) => {
            Some(Decoration::Actual(None))
        }
        None => None,
    }
}

impl<S> CorsMiddleware<S> {
    /// Waits for an origin lookup, then decides the request.
    #[cfg(feature = "async-origins")]
    fn looking_up<B>(&self, pending: Pending, req: ServiceRequest) -> CorsFuture<S, B>
    where
        S: Service<ServiceRequest>,
    {
        CorsFuture {
            state: State::LookingUp {
                lookup: Box::new(LookingUp {
                    pending,
                    answer: None,
                    req: Some(req),
                    middleware: self.clone(),
                }),
            },
        }
    }

    /// Answers the request here: the response is final.
    fn ready<B>(&self, req: ServiceRequest, res: HttpResponse) -> CorsFuture<S, B>
    where
        S: Service<ServiceRequest>,
    {
        if self.cors.placement() != Placement::Middleware
            && ENCLOSING_POSSIBLE.load(Ordering::Acquire)
        {
            decisions::record(req.request(), || Decided {
                cors: self.cors.clone(),
                decoration: Decoration::Leave,
            });
        }
        let (res, body) = res.into_parts();
        CorsFuture::ready(req.into_response(res.set_body(EitherBody::right(body))))
    }

    /// Whether a disallowed actual request is blocked here: not when it will
    /// reach a registered layer, whose own policy decides.
    fn blocks(&self, req: &ServiceRequest) -> bool {
        !self.deferred(req)
    }

    /// Whether this plain middleware's policy gives way, for an actual
    /// request, to a registered layer (a `#[cors]` route, a `Cors::scope`)
    /// the request will reach: that layer's policy decides it.
    fn deferred(&self, req: &ServiceRequest) -> bool {
        self.registered_inside(req).is_some()
    }

    /// The registered layer's policy an actual request will reach, when
    /// this is plain middleware.
    fn registered_inside(&self, req: &ServiceRequest) -> Option<Cors> {
        if self.cors.placement() != Placement::Middleware || !resolve::any_registered() {
            return None;
        }
        match resolve::judge(req.request(), req.method().as_str().as_bytes()) {
            Judge::Registered(cors) => Some(cors),
            Judge::Own | Judge::Unknown => None,
        }
    }

    /// The origin lookup an actual request waits for here: this policy's,
    /// for an origin it has not `granted`, unless a registered layer inside
    /// decides the request; or that layer's, so that its answer is cached
    /// before middleware in between may answer for the route (an
    /// authentication middleware's 401 gets the route's headers from it).
    #[cfg(feature = "async-origins")]
    fn lookup_first(
        &self,
        req: &ServiceRequest,
        origin: Origin<'_>,
        granted: bool,
    ) -> Option<crate::origin_lookup::Pending> {
        let policy = self.cors.policy();
        let own = !granted && policy.looks_up_origins();
        if !own && !resolve::lookups_registered() {
            return None;
        }
        match self.registered_inside(req) {
            Some(inside) => inside.policy().pending_lookup(origin, req.head()),
            None if own => policy.pending_lookup(origin, req.head()),
            None => None,
        }
    }

    /// Whether this plain middleware is inside another plain `Cors`
    /// middleware, which then decides alone (it answered the preflights,
    /// which never reach this one). Warns once per policy.
    fn nested_in_middleware(&self, req: &ServiceRequest) -> bool {
        if !SEVERAL_PLAIN_MIDDLEWARE.get() {
            return false;
        }
        // A mark that lives and dies with the request (zero-sized: no
        // allocation of its own).
        if !req.extensions().contains::<SeenByMiddleware>() {
            req.extensions_mut().insert(SeenByMiddleware);
            return false;
        }
        if !self.cors.warned_nested().swap(true, Ordering::AcqRel) {
            log::warn!(
                "a Cors middleware is nested inside another Cors middleware (request path {}): \
                 the outer one decides every request there and the inner policy is not used. \
                 For a scope with a policy of its own, register it with `Cors::scope(path, ..)` \
                 instead of `web::scope(path).wrap(cors)`; for one route, use #[cors]",
                LogValue(req.path().as_bytes())
            );
        }
        true
    }
}

pin_project! {
    /// The response future of [`CorsMiddleware`]: either the middleware's own
    /// answer (a preflight, a blocked request) or the wrapped service's
    /// response with the policy's headers written over it. Not boxed, so
    /// the middleware adds no allocation per request. See [`CorsMiddleware`]
    /// for an example.
    pub struct CorsFuture<S, B>
    where
        S: Service<ServiceRequest>,
    {
        #[pin]
        state: State<S, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<S, B>
    where
        S: Service<ServiceRequest>,
    {
        /// Answered by the middleware itself (preflight or blocked request).
        Ready { response: Option<ServiceResponse<EitherBody<B>>> },
        /// Waiting for the wrapped service, then decorating its response.
        Forwarded {
            #[pin]
            fut: S::Future,
            decoration: Option<Decoration>,
            cors: Cors,
            // Kept until the future ends, so that the decision recorded
            // for the request is there when the response comes back.
            expecting: Option<decisions::Expecting>,
        },
        /// Waiting for an origin lookup, then deciding (boxed: rare, and it
        /// would make every request's future larger to move).
        LookingUp { lookup: Box<LookingUp<S>> },
    }
}

/// A request waiting for its origin to be looked up.
#[cfg_attr(not(feature = "async-origins"), allow(dead_code))]
struct LookingUp<S> {
    pending: Pending,
    /// The lookup's answer, kept while the wrapped service gets ready.
    #[cfg(feature = "async-origins")]
    answer: Option<crate::origin_lookup::Answer>,
    req: Option<ServiceRequest>,
    middleware: CorsMiddleware<S>,
}

impl<S, B> CorsFuture<S, B>
where
    S: Service<ServiceRequest>,
{
    fn ready(response: ServiceResponse<EitherBody<B>>) -> Self {
        Self {
            state: State::Ready {
                response: Some(response),
            },
        }
    }

    fn forwarded(
        fut: S::Future,
        decoration: Decoration,
        cors: Cors,
        expecting: Option<decisions::Expecting>,
    ) -> Self {
        Self {
            state: State::Forwarded {
                fut,
                decoration: Some(decoration),
                cors,
                expecting,
            },
        }
    }
}

impl<S, B> Future for CorsFuture<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    #[cfg_attr(not(feature = "async-origins"), allow(unused_mut))]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        #[cfg(feature = "async-origins")]
        while let StateProj::LookingUp { lookup } = self.as_mut().project().state.project() {
            if lookup.answer.is_none() {
                lookup.answer = Some(std::task::ready!(Pin::new(&mut lookup.pending).poll(cx)));
            }
            // The wrapped service is called now, not when the request came:
            // it must be ready again.
            if let Err(err) = std::task::ready!(lookup.middleware.service.poll_ready(cx)) {
                return Poll::Ready(Err(err));
            }
            let (Some(answer), Some(req)) = (lookup.answer.take(), lookup.req.take()) else {
                return Poll::Pending; // polled after completion
            };
            // Decided again, synchronously, with the answer in place (never
            // waiting for a second lookup).
            let next = answer.decide_with(|| lookup.middleware.decide(req, false));
            self.as_mut().project().state.set(next.state);
        }
        match self.project().state.project() {
            StateProj::Ready { response } => Poll::Ready(Ok(response
                .take()
                .expect("CorsFuture polled after completion"))),
            StateProj::Forwarded {
                fut,
                decoration,
                cors,
                expecting,
            } => {
                let result = std::task::ready!(fut.poll(cx));
                let decoration = decoration
                    .take()
                    .expect("CorsFuture polled after completion");
                Poll::Ready(match result {
                    Ok(mut res) => {
                        decorate_service_response(cors, decoration, expecting.as_ref(), &mut res);
                        // Taken apart and rebuilt: `map_into_left_body` goes
                        // through a closure the compiler did not always inline.
                        let (req, res) = res.into_parts();
                        let (res, body) = res.into_parts();
                        Ok(ServiceResponse::new(
                            req,
                            res.set_body(EitherBody::left(body)),
                        ))
                    }
                    // An error from inside keeps the CORS headers too, so that
                    // the page can read what went wrong; they are added when
                    // actix turns the error into a response. Mappers run
                    // innermost first.
                    Err(mut err) => {
                        // A registered layer inside may have decided before
                        // middleware in between turned its answer into this
                        // error: its decision, not this layer's, applies.
                        let recorded = expecting.as_ref().and_then(|guard| {
                            decisions::with_own(guard, |decided| {
                                (decided.cors.clone(), decided.decoration.clone())
                            })
                        });
                        let (cors, decoration) =
                            recorded.unwrap_or_else(|| (cors.clone(), decoration));
                        err.add_response_mapper(move |mut res| {
                            if !res.extensions().contains::<DecidedResponse>() {
                                apply(&cors, decoration.clone(), &mut res);
                                if cors.placement() != Placement::Middleware {
                                    res.extensions_mut().insert(DecidedResponse);
                                }
                            }
                            res
                        });
                        Err(err)
                    }
                })
            }
            // Left by the loop above only once decided; never built without
            // the feature.
            #[cfg(feature = "async-origins")]
            StateProj::LookingUp { .. } => Poll::Pending,
            #[cfg(not(feature = "async-origins"))]
            StateProj::LookingUp { lookup } => match lookup.pending {},
        }
    }
}

/// Writes the headers of the most specific registered layer that decided
/// the request, or else this layer's.
fn decorate_service_response<B>(
    cors: &Cors,
    decoration: Decoration,
    expecting: Option<&decisions::Expecting>,
    res: &mut ServiceResponse<B>,
) {
    // Plain middleware defers to registered layers, when any exist; those
    // record their decision for the layers around them, when any may exist.
    let registered_inside = match cors.placement() {
        Placement::Middleware => resolve::any_registered(),
        Placement::Route | Placement::Scope => ENCLOSING_POSSIBLE.load(Ordering::Acquire),
    };
    if registered_inside {
        // Read in place, through this layer's own guard (a layer that
        // expects none, a route, has nothing registered inside it).
        let found = expecting.and_then(|guard| {
            decisions::with_own(guard, |decided| {
                // The registered layer wrote its headers; only a response
                // that middleware in between built anew needs them again.
                if !carries(decided, res.headers()) {
                    apply(
                        &decided.cors,
                        decided.decoration.clone(),
                        res.response_mut(),
                    );
                }
            })
        });
        if found.is_some() {
            return;
        }
        if cors.placement() == Placement::Middleware {
            if res.status().as_u16() >= 400 {
                if let Some((cors, decoration)) = answered_before_route(res.request()) {
                    log_actual(&decoration, res.request());
                    apply(&cors, decoration, res.response_mut());
                    return;
                }
            }
        } else {
            decisions::record(res.request(), || Decided {
                cors: cors.clone(),
                decoration: decoration.clone(),
            });
        }
    }
    log_actual(&decoration, res.request());
    apply(cors, decoration, res.response_mut());
}

/// Logs the decision on an actual request, by the layer whose headers the
/// response gets (an enclosing layer that defers to a route's policy says
/// nothing: the route's layer said it).
fn log_actual(decoration: &Decoration, req: &actix_web::HttpRequest) {
    if !log::log_enabled!(log::Level::Debug) {
        return;
    }
    let origin = req
        .headers()
        .get(crate::headers::ORIGIN)
        .map_or(&b""[..], |origin| origin.as_bytes());
    match decoration {
        Decoration::Actual(Some(_)) => {
            log::debug!("CORS request allowed: origin {}", LogValue(origin));
        }
        Decoration::Refused => {
            log::debug!(
                "CORS grant withheld: origin {} not allowed",
                LogValue(origin)
            );
        }
        Decoration::Actual(None) | Decoration::Preflight(_) | Decoration::Leave => {}
    }
}

/// An error answer that no registered layer decorated, for a request whose
/// route has a registered policy: middleware between (an authentication
/// middleware's 401, say) answered before the route did. The route's policy
/// decides, as it would have; `None` (this layer's policy) when no registered
/// policy claims the request or its route cannot be known.
fn answered_before_route(req: &actix_web::HttpRequest) -> Option<(Cors, Decoration)> {
    if !resolve::any_registered() {
        return None;
    }
    let origin = match RequestKind::of(req.head()) {
        RequestKind::Actual { origin } => origin,
        _ => return None,
    };
    match resolve::judge(req, req.method().as_str().as_bytes()) {
        Judge::Own => None,
        Judge::Registered(cors) => {
            let decoration =
                actual_decoration(cors.policy(), req, origin).unwrap_or(Decoration::Refused);
            Some((cors, decoration))
        }
        Judge::Unknown => None,
    }
}

/// Whether a response still carries what a registered layer wrote for its
/// decision (the same `Access-Control-Allow-Origin`, or none and a `Vary`).
fn carries(decided: &Decided, headers: &actix_web::http::header::HeaderMap) -> bool {
    use crate::headers::{ACCESS_CONTROL_ALLOW_ORIGIN, VARY};
    let allow_origin = headers.get(ACCESS_CONTROL_ALLOW_ORIGIN);
    match &decided.decoration {
        Decoration::Leave => true,
        Decoration::Preflight(_) => false,
        Decoration::Actual(grant) => {
            match decided.cors.policy().actual_allow_origin(grant.as_ref()) {
                Some(expected) => allow_origin == Some(&expected),
                None => allow_origin.is_none() && headers.contains_key(VARY),
            }
        }
        Decoration::Refused => allow_origin.is_none() && headers.contains_key(VARY),
    }
}

/// Writes a policy's headers on a response from the wrapped service.
fn apply<B>(cors: &Cors, decoration: Decoration, res: &mut HttpResponse<B>) {
    let policy = cors.policy();
    match decoration {
        Decoration::Actual(grant) => policy.write_actual(grant, res.headers_mut()),
        Decoration::Refused => policy.write_refused(res.headers_mut()),
        Decoration::Preflight(grant) => {
            policy.write_preflight(grant.map(|g| *g), res.headers_mut())
        }
        Decoration::Leave => {}
    }
}

#[cfg(test)]
mod tests {
    use actix_web::dev::Service as _;
    use actix_web::test::{call_service, init_service, TestRequest};
    use actix_web::{web, App, HttpResponse};

    use super::decisions;
    use crate::Cors;

    fn policy(origin: &str) -> Cors {
        Cors::builder().allow_origin(origin).build().unwrap()
    }

    /// Entries in the thread's decision map live exactly as long as the
    /// response futures of the layers that keep them: gone after the
    /// response, and gone when a future is dropped unfinished (a client that
    /// went away), so a later request whose head reuses the address finds
    /// nothing of it.
    #[actix_web::test]
    async fn decision_entries_end_with_their_request() {
        let app = init_service(App::new().wrap(policy("https://app.example")).service(
            policy("https://partner.example").scope("/partner", |scope| {
                scope.route("/orders", web::get().to(HttpResponse::Ok))
            }),
        ))
        .await;
        let request = || {
            TestRequest::get()
                .uri("/partner/orders")
                .insert_header(("Origin", "https://partner.example"))
                .to_request()
        };
        assert_eq!(decisions::len(), 0);

        let res = call_service(&app, request()).await;
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            "https://partner.example",
            "the scope decided, and the app-wide layer applied its decision"
        );
        drop(res);
        assert_eq!(decisions::len(), 0, "left behind by a finished request");

        let unfinished = app.call(request());
        assert_eq!(decisions::len(), 1, "kept while the request is in flight");
        drop(unfinished);
        assert_eq!(decisions::len(), 0, "left behind by a dropped request");

        let res = call_service(&app, request()).await;
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            "https://partner.example"
        );
        assert_eq!(decisions::len(), 0);
    }
}
