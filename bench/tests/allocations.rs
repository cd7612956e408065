//! Heap allocations per request: cors-actix, actix-cors and a bare app, case
//! by case, counted by a global allocator. Counts are exact where times are
//! not, so what cors-actix guarantees is asserted here: its middleware and
//! `#[cors]` routes add no allocation to an actual request, and answer a
//! preflight with no more allocations than a bare app's 204 handler.
//!
//! `cargo test -p cors-bench --test allocations -- --nocapture` prints the
//! table (BENCHMARKS.md).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::Error;
use cors_bench::{Case, Request, MIDDLEWARE_PATH, ROUTE_PATH};

/// Counts allocations (and reallocations) made on a thread while that thread
/// asked for it, so that other threads (the test harness's) do not count.
struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn note_allocation() {
    // `try_with`: allocations during thread teardown must not panic.
    let _ = COUNTING.try_with(|counting| {
        if counting.get() {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counting touches only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations_in(f: impl FnOnce()) -> u64 {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get)
}

/// Requests sent before counting: actix pools request and response heads
/// and grows some buffers on first use; steady state is what a server sees.
const WARM_UP: usize = 16;
/// Requests counted; the smallest count is reported and every count must be
/// the same (a count that varies would make the assertions meaningless).
const RUNS: usize = 8;

/// Allocations for one request of `case` to `path`, in steady state. The
/// request is built before counting starts; answering it and dropping the
/// response is counted.
fn count<S, B>(app: &S, case: Case, path: &str) -> u64
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    count_with(app, case.name(), || case.request(path))
}

/// [`count`] for requests made by `make`.
fn count_with<S, B>(app: &S, what: &str, make: impl Fn() -> Request) -> u64
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    for _ in 0..WARM_UP {
        drop(cors_bench::call(app, make()));
    }
    let counts: Vec<u64> = (0..RUNS)
        .map(|_| {
            let req = make();
            allocations_in(|| drop(cors_bench::call(app, req)))
        })
        .collect();
    let min = *counts.iter().min().unwrap();
    assert!(
        counts.iter().all(|&n| n == min),
        "{what}: allocation counts vary from request to request: {counts:?}"
    );
    min
}

/// Checks that an app answers a case as the shared policy says, so that the
/// three apps are known to do the same work before their counts are compared.
fn check_answer<S, B>(app: &S, case: Case, path: &str, cors: bool, what: &str)
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    let res = cors_bench::call(app, case.request(path));
    let allow_origin = res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    let granted = cors && case.is_allowed();
    assert_eq!(
        allow_origin.map(|v| v.as_bytes()),
        granted.then(|| case.origin().unwrap().as_bytes()),
        "{what}, {}: Access-Control-Allow-Origin",
        case.name()
    );
    if case.is_preflight() {
        if cors && !case.is_allowed() {
            assert!(res.status().is_client_error(), "{what}, {}", case.name());
        } else {
            // 204 from cors-actix and the bare app, 200 from actix-cors.
            assert!(res.status().is_success(), "{what}, {}", case.name());
        }
    } else {
        assert_eq!(res.status(), StatusCode::OK, "{what}, {}", case.name());
    }
}

/// One case's counts: cors-actix and the app it is compared with, actix-cors
/// and the app it is compared with (the same bare app, except for routes).
struct Row {
    case: Case,
    ours_bare: u64,
    ours: u64,
    theirs_bare: u64,
    theirs: u64,
}

impl Row {
    fn ours_added(&self) -> i64 {
        self.ours as i64 - self.ours_bare as i64
    }

    fn theirs_added(&self) -> i64 {
        self.theirs as i64 - self.theirs_bare as i64
    }
}

/// A markdown table; `columns` names the four counts.
fn table(title: &str, columns: [&str; 4], rows: &[Row]) -> String {
    let [ours_bare, ours, theirs_bare, theirs] = columns;
    let mut out = format!(
        "\n{title}\n\n| request | {ours_bare} | {ours} | added | {theirs_bare} | {theirs} | added |\n\
         | --- | --: | --: | --: | --: | --: | --: |\n"
    );
    for r in rows {
        writeln!(
            out,
            "| {} | {} | {} | {:+} | {} | {} | {:+} |",
            r.case.name(),
            r.ours_bare,
            r.ours,
            r.ours_added(),
            r.theirs_bare,
            r.theirs,
            r.theirs_added(),
        )
        .unwrap();
    }
    out
}

/// One test function: whether `#[cors]` routes and `App::wrap` middleware
/// exist in the program changes what cors-actix does (the registry of route
/// policies is global), so the order of what is built and counted is fixed.
#[test]
fn cors_adds_no_allocation_to_a_request() {
    cors_bench::with_runtime(measure_and_check);
}

fn measure_and_check() {
    let bare = cors_bench::init(cors_bench::bare_app());
    let bare_route = cors_bench::init(cors_bench::bare_route_app());
    let bare_actix_route = cors_bench::init(cors_bench::bare_actix_route_app());
    let theirs = cors_bench::init(cors_bench::actix_cors_app());
    let theirs_route = cors_bench::init(cors_bench::actix_cors_route_app());

    // 1. `#[cors]` routes in a program with no `App::wrap(cors-actix)`.
    let ours_route = cors_bench::init(cors_bench::cors_actix_route_app());
    let mut route = Vec::new();
    let mut actix_route = Vec::new();
    for case in Case::ALL {
        check_answer(&bare, case, ROUTE_PATH, false, "bare resource");
        check_answer(&bare_route, case, ROUTE_PATH, false, "bare route");
        check_answer(&bare_actix_route, case, ROUTE_PATH, false, "bare #[route]");
        check_answer(&ours_route, case, ROUTE_PATH, true, "#[cors]");
        check_answer(&theirs_route, case, ROUTE_PATH, true, "actix-cors route");
        actix_route.push((case, count(&bare_actix_route, case, ROUTE_PATH)));
        route.push(Row {
            case,
            ours_bare: count(&bare_route, case, ROUTE_PATH),
            ours: count(&ours_route, case, ROUTE_PATH),
            theirs_bare: count(&bare, case, ROUTE_PATH),
            theirs: count(&theirs_route, case, ROUTE_PATH),
        });
    }

    // 2. `App::wrap` middleware, in a program that also has `#[cors]`
    // routes: every preflight then also looks for a route's own policy.
    let ours = cors_bench::init(cors_bench::cors_actix_app());
    let ours_route_wrapped = cors_bench::init(cors_bench::cors_actix_route_in_wrapped_app());
    let mut middleware = Vec::new();
    let mut wrapped = Vec::new();
    for case in Case::ALL {
        check_answer(&bare, case, MIDDLEWARE_PATH, false, "bare");
        check_answer(&ours, case, MIDDLEWARE_PATH, true, "cors-actix");
        check_answer(&theirs, case, MIDDLEWARE_PATH, true, "actix-cors");
        check_answer(
            &ours_route_wrapped,
            case,
            ROUTE_PATH,
            true,
            "wrapped #[cors]",
        );
        let bare_count = count(&bare, case, MIDDLEWARE_PATH);
        middleware.push(Row {
            case,
            ours_bare: bare_count,
            ours: count(&ours, case, MIDDLEWARE_PATH),
            theirs_bare: bare_count,
            theirs: count(&theirs, case, MIDDLEWARE_PATH),
        });
        wrapped.push(Row {
            case,
            ours_bare: count(&bare_route, case, ROUTE_PATH),
            ours: count(&ours_route_wrapped, case, ROUTE_PATH),
            theirs_bare: count(&bare, case, ROUTE_PATH),
            theirs: count(&theirs_route, case, ROUTE_PATH),
        });
    }

    // 3. HTTP/2: no `Host` header, the authority is in the URI.
    let h2: Vec<Row> = Case::ALL
        .into_iter()
        .map(|case| {
            let make = || case.request_h2(MIDDLEWARE_PATH);
            let bare_count = count_with(&bare, case.name(), make);
            Row {
                case,
                ours_bare: bare_count,
                ours: count_with(&ours, case.name(), make),
                theirs_bare: bare_count,
                theirs: count_with(&theirs, case.name(), make),
            }
        })
        .collect();

    println!(
        "{}{}{}{}\nFor reference, the bare route declared with actix-web's own #[route] \
         (method guards that record the methods they check): {}",
        table(
            "Allocations per request, App::wrap (HTTP/1.1):",
            ["bare", "cors-actix", "bare", "actix-cors"],
            &middleware
        ),
        table(
            "Allocations per request, App::wrap, HTTP/2 (authority in the URI, no Host header):",
            ["bare", "cors-actix", "bare", "actix-cors"],
            &h2
        ),
        table(
            "Allocations per request, one route with its own policy, no App::wrap(cors-actix) in the program:",
            ["bare route", "#[cors] route", "bare resource", "actix-cors resource wrap"],
            &route
        ),
        table(
            "Allocations per request, the #[cors] route inside an App::wrap(cors-actix) app:",
            ["bare route", "#[cors] route, wrapped app", "bare resource", "actix-cors resource wrap"],
            &wrapped
        ),
        actix_route
            .iter()
            .map(|(case, n)| format!("{} {n}", case.name()))
            .collect::<Vec<_>>()
            .join(", "),
    );

    for (what, rows, actual_added) in [
        ("App::wrap", &middleware, 0),
        ("App::wrap, HTTP/2", &h2, 0),
        ("#[cors] route", &route, 0),
        // The route's decision reaches the enclosing middleware (so that
        // rebuilt responses, and errors made of its answer, keep it) through
        // a per-thread map whose capacity is reused; the middleware marks
        // the request with a zero-sized value in its extensions, so that a
        // later request reusing its head is told apart. That allocates the
        // request's map, which actix's own method guards would have
        // allocated on most routes (a #[cors] route's guard does not).
        ("#[cors] route in a wrapped app", &wrapped, 1),
    ] {
        for r in rows {
            if r.case.is_preflight() {
                // Compared with a bare app answering the same OPTIONS with
                // a 204 handler.
                assert!(
                    r.ours <= r.ours_bare,
                    "{what}, {}: cors-actix allocates {} times, the bare app's 204 handler {}",
                    r.case.name(),
                    r.ours,
                    r.ours_bare
                );
            } else {
                assert_eq!(
                    r.ours_added(),
                    actual_added,
                    "{what}, {}: allocations cors-actix adds to the request",
                    r.case.name(),
                );
            }
        }
    }
    a_cached_origin_lookup_adds_no_allocation();
}

/// An origin allowed (or refused) by an `OriginLookup` whose answer is
/// cached costs the allocations of the same origin configured in code: none
/// added. Run last
/// from [`measure_and_check`]: plain middleware built in the process changes
/// what `#[cors]` routes record (process-wide state), so the route rows are
/// measured before any.
fn a_cached_origin_lookup_adds_no_allocation() {
    {
        let origin = cors_bench::many_exact_origin(0);
        // Answers cached up front: a lookup runs as a task, which the
        // synchronous harness does not drive.
        let lookup = cors_actix::OriginLookup::new(|_origin: String| async { false });
        lookup
            .remember(&origin, true)
            .and_then(|()| lookup.remember(cors_bench::REFUSED_ORIGIN, false))
            .expect("canonical origins");
        let looked_up = cors_actix::Cors::builder()
            .allow_origin_lookup(&lookup)
            .build()
            .expect("valid policy");
        let in_code = cors_actix::Cors::builder()
            .allow_origin(&origin)
            .build()
            .expect("valid policy");
        let looked_up = cors_bench::init(cors_bench::cors_actix_app_with(looked_up));
        let in_code = cors_bench::init(cors_bench::cors_actix_app_with(in_code));
        for (what, from) in [
            ("allowed", origin.as_str()),
            ("refused", cors_bench::REFUSED_ORIGIN),
        ] {
            let wire = cors_bench::wire(MIDDLEWARE_PATH, Some(from), false);
            let granted = cors_bench::call(&looked_up, cors_bench::decode(&wire))
                .headers()
                .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN);
            assert_eq!(granted, what == "allowed", "{what}: the lookup's answer");
            let ours = count_with(&looked_up, what, || cors_bench::decode(&wire));
            let theirs = count_with(&in_code, what, || cors_bench::decode(&wire));
            assert_eq!(
                ours, theirs,
                "{what}: a cached lookup answer allocates {ours} times, the origin in code {theirs}"
            );
        }
    }
}
