//! [`OriginLookup`]: origins decided by an asynchronous check (a database, a
//! tenant service), with the answers cached.
//!
//! The cache is quick_cache's: bounded by entry count (its eviction keeps
//! the origins asked for often), read under a shard's read lock without
//! allocating, and with placeholders, so that concurrent first requests for
//! one origin, on any worker thread, wait for one lookup
//! (`get_value_or_guard_async`). Each entry carries the instant it expires,
//! checked on every read. Nothing here blocks a worker: a request whose
//! origin is not cached waits, as a future, for a lookup that runs as a task
//! of its own (spawned on the worker's runtime), so that no request's
//! cancellation cancels what others wait for. (moka, measured
//! first, added about 4,800 instructions to a request with a cached answer,
//! for its read recording and housekeeping, and allocated during
//! housekeeping; with this cache a cached answer adds about 540 and never
//! allocates: BENCHMARKS.md.)

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::future::LocalBoxFuture;
use futures_util::FutureExt as _;
use quick_cache::sync::Cache;

use crate::log_value::LogValue;

/// How long an answer is kept, by default.
const DEFAULT_TIME_TO_LIVE: Duration = Duration::from_secs(60);
/// How many origins' answers are kept, by default.
const DEFAULT_MAX_ENTRIES: u64 = 10_000;
/// How long a lookup may take before the request is refused, by default.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
/// What a time to live too long for an `Instant` stands for: a century.
const FOR_EVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

type LookupFn = dyn Fn(String) -> LocalBoxFuture<'static, Result<bool, String>> + Send + Sync;

/// Origins allowed by an asynchronous check, for tenants' domains kept in a
/// database or behind a service. Give it to a policy with
/// [`CorsBuilder::allow_origin_lookup`](crate::CorsBuilder::allow_origin_lookup)
/// (or use the shorthand
/// [`allow_origin_async`](crate::CorsBuilder::allow_origin_async)); a clone
/// is a handle to the same cache. The settings below are chained after
/// [`new`](Self::new): each makes a new, empty cache.
///
/// - The check is asked only about origins in the canonical form browsers
///   send that nothing else in the policy allows, never about `null`.
/// - Answers, `true` and `false` alike, are cached for
///   [`time_to_live`](Self::time_to_live) (60 s by default), at most
///   [`max_entries`](Self::max_entries) of them (10,000 by default).
///   [`invalidate`](Self::invalidate) forgets one at once (a tenant just
///   added or removed).
/// - Requests from one origin that arrive while it is being looked up wait
///   for that one lookup: at most one is in flight per origin. It runs as a
///   task of its own, so a request that goes away does not cancel it, and
///   each request waits at most the timeout, whoever started it.
/// - [`remember`](Self::remember) caches an answer without asking.
/// - A lookup that fails (returns `Err`) or takes longer than
///   [`timeout`](Self::timeout) (2 s by default) refuses the request, as an
///   origin not allowed would be, logs a warning, and is not cached: the
///   next request asks again.
/// - Cached answers cost no allocation; a lookup costs a few (the future,
///   the origin given to it, the cache entry).
/// - Any client can send any origin: each new one costs a lookup (then a
///   cached refusal). Keep the check cheap for origins that cannot be
///   tenants (answer `false` before querying when the origin is not under
///   your tenants' domain, say), or rate-limit in front of it.
///
/// The check returns `bool` or `Result<bool, E>` for any `E: Display`.
///
/// ```
/// use std::time::Duration;
/// use cors_actix::{Cors, OriginLookup};
///
/// # async fn is_tenant(_: &str) -> Result<bool, std::io::Error> { Ok(true) }
/// let tenants = OriginLookup::new(|origin: String| async move { is_tenant(&origin).await })
///     .time_to_live(Duration::from_secs(300))
///     .max_entries(50_000)
///     .timeout(Duration::from_millis(500));
/// let cors = Cors::builder()
///     .allow_origin("https://app.example.com")
///     .allow_origin_lookup(&tenants)
///     .allow_credentials(true)
///     .build()?;
///
/// // A tenant was added: its origin is asked about again on its next request.
/// tenants.invalidate("https://shop.customer.example");
/// # drop(cors);
/// # Ok::<(), cors_actix::CorsConfigError>(())
/// ```
#[derive(Clone)]
pub struct OriginLookup {
    shared: Arc<Shared>,
}

struct Shared {
    lookup: Arc<LookupFn>,
    cache: Cache<String, Cached>,
    settings: Settings,
}

/// A cached answer and when it expires.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Cached {
    /// `None`: the lookup failed (given to the requests waiting for that
    /// lookup, never kept).
    allowed: Option<bool>,
    expires: Instant,
}

impl Cached {
    fn is_fresh(&self) -> bool {
        Instant::now() < self.expires
    }
}

#[derive(Clone, Copy, Debug)]
struct Settings {
    ttl: Duration,
    max_entries: u64,
    timeout: Duration,
}

impl Settings {
    /// `allowed`, cached from now for the time to live (one beyond what an
    /// `Instant` holds is for ever).
    fn answer(&self, allowed: bool) -> Cached {
        let now = Instant::now();
        Cached {
            allowed: Some(allowed),
            expires: now
                .checked_add(self.ttl)
                .or_else(|| now.checked_add(FOR_EVER))
                .unwrap_or(now),
        }
    }
}

/// What a check may return: `bool`, or `Result<bool, E>` whose error is
/// logged.
pub trait LookupAnswer: sealed::Sealed {
    #[doc(hidden)]
    fn into_answer(self) -> Result<bool, String>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for bool {}
    impl<E: std::fmt::Display> Sealed for Result<bool, E> {}
}

impl LookupAnswer for bool {
    fn into_answer(self) -> Result<bool, String> {
        Ok(self)
    }
}

impl<E: fmt::Display> LookupAnswer for Result<bool, E> {
    fn into_answer(self) -> Result<bool, String> {
        self.map_err(|e| e.to_string())
    }
}

impl OriginLookup {
    /// A lookup asking `check` whether an origin (given as sent, in the
    /// canonical form) is allowed, with the default cache settings.
    pub fn new<F, Fut>(check: F) -> Self
    where
        F: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: LookupAnswer,
    {
        let lookup: Arc<LookupFn> =
            Arc::new(move |origin| check(origin).map(LookupAnswer::into_answer).boxed_local());
        Self::from_parts(
            lookup,
            Settings {
                ttl: DEFAULT_TIME_TO_LIVE,
                max_entries: DEFAULT_MAX_ENTRIES,
                timeout: DEFAULT_TIMEOUT,
            },
        )
    }

    fn from_parts(lookup: Arc<LookupFn>, settings: Settings) -> Self {
        let capacity = usize::try_from(settings.max_entries.max(1)).unwrap_or(usize::MAX);
        let cache = Cache::new(capacity);
        Self {
            shared: Arc::new(Shared {
                lookup,
                cache,
                settings,
            }),
        }
    }

    /// How long an answer is kept before the origin is asked about again.
    pub fn time_to_live(self, ttl: Duration) -> Self {
        self.with(|settings| settings.ttl = ttl)
    }

    /// How many origins' answers are kept at most (the least used are
    /// dropped first).
    pub fn max_entries(self, max: u64) -> Self {
        self.with(|settings| settings.max_entries = max)
    }

    /// How long a lookup may take; a slower one refuses the request.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|settings| settings.timeout = timeout)
    }

    /// Forgets the cached answer for `origin`, if any: its next request is
    /// looked up again. The answer of a lookup in flight for it is given to
    /// the requests waiting for it, and not cached.
    pub fn invalidate(&self, origin: &str) {
        self.shared.cache.remove(origin);
    }

    /// Caches `allowed` as the answer for `origin` now, for the time to
    /// live, without asking the check: a tenant just signed up, or answers
    /// known at start-up. `origin` must be in the form browsers send
    /// (`scheme://host[:port]`, lower case, no default port), the only form
    /// ever looked up.
    ///
    /// ```
    /// let tenants = cors_actix::OriginLookup::new(|_origin: String| async { false });
    /// tenants.remember("https://shop.new-tenant.example", true)?;
    /// assert!(tenants.remember("HTTPS://Shop.example", true).is_err());
    /// # Ok::<(), cors_actix::CorsConfigError>(())
    /// ```
    pub fn remember(&self, origin: &str, allowed: bool) -> Result<(), crate::CorsConfigError> {
        if cors_actix_core::RequestOrigin::parse(origin).is_none() {
            return Err(crate::CorsConfigError::Origin(format!(
                "{origin:?} is not an origin in the form browsers send (scheme://host[:port], \
                 lower case, no default port, no path): no request would ever match it"
            )));
        }
        let answer = self.shared.settings.answer(allowed);
        self.shared.cache.insert(origin.to_owned(), answer);
        Ok(())
    }

    /// Forgets every cached answer.
    pub fn invalidate_all(&self) {
        self.shared.cache.clear();
    }

    /// How many answers are cached now, expired ones not yet replaced
    /// included (for metrics).
    pub fn cached_answers(&self) -> usize {
        self.shared.cache.len()
    }

    /// The same check with other settings, and a new, empty cache (the
    /// settings are meant to be chained after [`new`](Self::new)).
    fn with(self, change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = self.shared.settings;
        change(&mut settings);
        Self::from_parts(Arc::clone(&self.shared.lookup), settings)
    }

    /// The answer for `origin` without waiting: the one just looked up for
    /// the request being decided (see [`Answer::decide_with`]), else a cached
    /// one; `None` when it must be looked up.
    pub(crate) fn cached(&self, origin: &str) -> Option<bool> {
        let answered = ANSWERED.with(|answered| {
            let answered = answered.borrow();
            let answer = answered.as_ref().filter(|a| a.origin == origin)?;
            answer
                .answers
                .iter()
                .find(|(lookup, _)| Arc::ptr_eq(&lookup.shared, &self.shared))
                .map(|&(_, allowed)| allowed)
        });
        if answered.is_some() {
            return answered;
        }
        self.shared
            .cache
            .get(origin)
            .filter(Cached::is_fresh)
            .and_then(|cached| cached.allowed)
    }

    /// Looks `origin` up with each of `lookups` in turn until one allows
    /// it, or waits for the lookups in flight for it; each answer is cached,
    /// a failure or a timeout answers `false`.
    ///
    /// Each lookup runs as a task of its own: a request that goes away (its
    /// client disconnected) does not cancel the lookup other requests wait
    /// for, so clients that come and go cannot keep one waiting. A request
    /// waits for each lookup at most its timeout, whoever started it.
    pub(crate) fn look_up(lookups: Vec<OriginLookup>, origin: &str) -> Pending {
        let origin = origin.to_owned();
        let lookup = async move {
            let mut answers = Vec::with_capacity(lookups.len());
            for lookup in lookups {
                let timeout = lookup.shared.settings.timeout;
                let task = {
                    let (lookup, origin) = (lookup.clone(), origin.clone());
                    actix_web::rt::spawn(async move { lookup.answer(&origin).await })
                };
                let allowed = match actix_web::rt::time::timeout(timeout, task).await {
                    Ok(Ok(allowed)) => allowed,
                    Ok(Err(_panicked)) => {
                        log::warn!(
                            "CORS origin lookup for {} panicked; the request is refused",
                            LogValue(origin.as_bytes())
                        );
                        false
                    }
                    Err(_) => {
                        log::warn!(
                            "CORS origin lookup for {}: no answer within {timeout:?} (the \
                             lookup in flight for it was started by another request); the \
                             request is refused",
                            LogValue(origin.as_bytes())
                        );
                        false
                    }
                };
                answers.push((lookup, allowed));
                if allowed {
                    break;
                }
            }
            Answer { origin, answers }
        };
        Pending(Box::pin(lookup))
    }

    async fn answer(&self, origin: &str) -> bool {
        let shared = &*self.shared;
        // An expired answer (or a failure's) is forgotten first, so that the
        // cache hands out either a placeholder to fill or what a lookup in
        // flight, or one just finished, answered.
        if let Some(stale) = shared.cache.get(origin).filter(|c| !c.is_fresh()) {
            shared.cache.remove_if(origin, |now| *now == stale);
        }
        let guard = match shared.cache.get_value_or_guard_async(origin).await {
            Ok(cached) => return cached.allowed.unwrap_or(false),
            Err(guard) => guard,
        };
        let timeout = shared.settings.timeout;
        let outcome =
            match actix_web::rt::time::timeout(timeout, (shared.lookup)(origin.to_owned())).await {
                Ok(outcome) => outcome,
                Err(_) => Err(format!("no answer within {timeout:?}")),
            };
        let cached = match outcome {
            Ok(allowed) => shared.settings.answer(allowed),
            Err(error) => {
                log::warn!(
                    "CORS origin lookup failed for {}: {error}; the request is refused \
                         (not cached: the next request asks again)",
                    LogValue(origin.as_bytes()),
                );
                // Given to the requests waiting for this lookup only.
                Cached {
                    allowed: None,
                    expires: Instant::now(),
                }
            }
        };
        // Refused only if the entry was removed meanwhile: the answer
        // stands for this request either way. The requests waiting for this
        // lookup get it from the placeholder, so a failure leaves the cache
        // at once.
        let _ = guard.insert(cached);
        if cached.allowed.is_none() {
            shared.cache.remove_if(origin, |now| *now == cached);
        }
        cached.allowed.unwrap_or(false)
    }
}

impl fmt::Debug for OriginLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = &self.shared.settings;
        f.debug_struct("OriginLookup")
            .field("cached", &self.shared.cache.len())
            .field("time_to_live", &settings.ttl)
            .field("max_entries", &settings.max_entries)
            .field("timeout", &settings.timeout)
            .finish()
    }
}

/// A lookup in flight for one request.
pub(crate) struct Pending(Pin<Box<dyn Future<Output = Answer>>>);

impl Future for Pending {
    type Output = Answer;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        self.0.as_mut().poll(cx)
    }
}

/// What the lookups asked answered for one request's origin.
pub(crate) struct Answer {
    origin: String,
    answers: Vec<(OriginLookup, bool)>,
}

thread_local! {
    /// The answer of the request being decided on this thread, if it waited
    /// for a lookup. The decision after the wait is synchronous, so the
    /// answer is in place for exactly that decision, whatever the cache kept
    /// (an entry may be evicted, or expire, at once).
    static ANSWERED: RefCell<Option<Answer>> = const { RefCell::new(None) };
}

impl Answer {
    /// Runs `decide` (the synchronous decision on the request this answer is
    /// for) with this answer in place.
    pub(crate) fn decide_with<R>(self, decide: impl FnOnce() -> R) -> R {
        /// Takes the answer away again, also if `decide` panics.
        struct Restore(Option<Answer>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                ANSWERED.with(|answered| *answered.borrow_mut() = previous);
            }
        }
        let _restore = Restore(ANSWERED.with(|answered| answered.replace(Some(self))));
        decide()
    }
}
