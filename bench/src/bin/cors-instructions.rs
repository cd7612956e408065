//! Runs one benchmark request many times, so that valgrind's callgrind can
//! count the instructions it costs: `cors-instructions <group> <app> <case>
//! <count>`. Only calls of [`measured`] are counted (bench/instructions.sh
//! runs callgrind with `--toggle-collect` on it): the app answering a request
//! decoded beforehand, and dropping the response.
//!
//! Groups, and their apps:
//! - `middleware` (requests to `/api/posts`): `bare`, `actix-cors`,
//!   `wrap-fn`, `cors-actix`;
//! - `route` (requests to `/api/items`): `bare-route` (the route registered
//!   as `#[cors]` registers it, without CORS), `cors-actix` (a `#[cors]`
//!   route), `bare-resource`, `actix-cors` (the resource wrapped);
//! - `route-in-app`: `bare-route`, and `cors-actix` (the `#[cors]` route in
//!   an app wrapped by cors-actix middleware, which must find the route's
//!   policy for every preflight).
//!
//! Two more groups check that costs stay flat, with their own requests:
//! - `scaling`: apps `exact-1`, `exact-10000`, `wildcard-1`,
//!   `wildcard-1000` (cors-actix middleware with that many exact origins or
//!   wildcard patterns), `list-1` (one exact origin in a reloadable
//!   `OriginList`), `lookup-1` (one origin allowed by an `OriginLookup`,
//!   its answers cached); requests `allowed` (from the
//!   last origin configured) and `refused`;
//! - `hostile`: app `cors-actix`; requests `request-headers-65` (a preflight
//!   asking for 65 header names, one over the limit),
//!   `request-headers-1mib` (one 1 MiB `Access-Control-Request-Headers`),
//!   `origin-refused` and `origin-120k` (a GET from a short refused origin,
//!   and from a 120 KB one, to a policy of one long wildcard domain).

use std::hint::black_box;
use std::process::ExitCode;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::Error;
use cors_bench::{Case, Request, MIDDLEWARE_PATH, ROUTE_PATH};

const USAGE: &str =
    "usage: cors-instructions <middleware|route|route-in-app|scaling|hostile> <app> <case> <count>";

/// Requests answered before counting: actix pools request and response heads
/// and grows buffers on first use, policies build lazily; what a server
/// does in steady state is measured.
const WARM_UP: usize = 64;

/// The counted call.
#[inline(never)]
fn measured<S, B>(app: &S, req: Request)
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    drop(black_box(cors_bench::call(app, req)));
}

fn run<S, B>(app: S, path: &str, case: Case, count: usize)
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    for _ in 0..WARM_UP {
        drop(cors_bench::call(&app, case.request(path)));
    }
    let requests: Vec<Request> = (0..count).map(|_| case.request(path)).collect();
    for req in requests {
        measured(&app, req);
    }
}

/// Like [`run`], for requests made by `make`.
fn run_with<S, B>(app: S, make: impl Fn() -> Request, count: usize)
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    for _ in 0..WARM_UP {
        drop(cors_bench::call(&app, make()));
    }
    let requests: Vec<Request> = (0..count).map(|_| make()).collect();
    for req in requests {
        measured(&app, req);
    }
}

/// The `scaling` group: `exact-N` or `wildcard-N`, `allowed` or `refused`.
fn scaling(app: &str, case: &str, count: usize) -> bool {
    let Some((kind, n)) = app.split_once('-') else {
        return false;
    };
    let Ok(n) = n.parse::<usize>() else {
        return false;
    };
    let (policy, last) = match kind {
        // The same exact origins, in a reloadable list.
        "list" if n > 0 => {
            let list = cors_actix::OriginList::new((0..n).map(cors_bench::many_exact_origin))
                .expect("a valid list");
            let policy =
                cors_bench::scaled_policy(cors_actix::Cors::builder().allow_origin_list(&list));
            (policy, cors_bench::many_exact_origin(n - 1))
        }
        // The origin allowed by an async lookup, its answer cached: what a
        // cached answer costs.
        "lookup" if n == 1 => {
            // Answers cached up front (a lookup would run as a task, which
            // the synchronous harness does not drive).
            let lookup = cors_actix::OriginLookup::new(|_origin: String| async { false });
            lookup
                .remember(&cors_bench::many_exact_origin(0), true)
                .and_then(|()| lookup.remember(cors_bench::REFUSED_ORIGIN, false))
                .expect("canonical origins");
            let policy =
                cors_bench::scaled_policy(cors_actix::Cors::builder().allow_origin_lookup(&lookup));
            (policy, cors_bench::many_exact_origin(0))
        }
        "exact" if n > 0 => (
            cors_bench::scaled_cors_actix(n, 0),
            cors_bench::many_exact_origin(n - 1),
        ),
        "wildcard" if n > 0 => (
            cors_bench::scaled_cors_actix(0, n),
            cors_bench::many_wildcard(n - 1).1,
        ),
        _ => return false,
    };
    let origin = match case {
        "allowed" => last,
        "refused" => cors_bench::REFUSED_ORIGIN.to_owned(),
        _ => return false,
    };
    let wire = cors_bench::wire(MIDDLEWARE_PATH, Some(&origin), false);
    let app = cors_bench::init(cors_bench::cors_actix_app_with(policy));
    let res = cors_bench::call(&app, cors_bench::decode(&wire));
    let granted = res.headers().contains_key("access-control-allow-origin");
    assert_eq!(granted, case == "allowed", "{kind}-{n}: {origin}");
    run_with(app, || cors_bench::decode(&wire), count);
    true
}

/// The `hostile` group: preflights asking for too many header names, and a
/// huge `Origin`.
fn hostile(app: &str, case: &str, count: usize) -> bool {
    if app != "cors-actix" {
        return false;
    }
    if let Some(origin) = case.strip_prefix("origin-") {
        return hostile_origin(origin, count);
    }
    let names = match case {
        "request-headers-65" => (0..65)
            .map(|i| format!("x-h{i}"))
            .collect::<Vec<_>>()
            .join(","),
        "request-headers-1mib" => "x".repeat(1 << 20),
        _ => return false,
    };
    let app = cors_bench::init(cors_bench::cors_actix_app());
    // Built by `TestRequest`: actix-http's decoder would refuse a 1 MiB
    // header line before any middleware saw it.
    let make = || {
        actix_web::test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri(MIDDLEWARE_PATH)
            .insert_header(("host", cors_bench::HOST))
            .insert_header(("origin", cors_bench::EXACT_ORIGIN))
            .insert_header(("access-control-request-method", "POST"))
            .insert_header(("access-control-request-headers", names.as_str()))
            .to_request()
    };
    // Refused, and granted nothing it asked for (the policy allows the
    // origin, so the answer is the diagnostic 200 without a header list).
    let res = cors_bench::call(&app, make());
    assert_ne!(res.status(), 204);
    assert!(!res.headers().contains_key("access-control-allow-headers"));
    run_with(app, make, count);
    true
}

/// A GET from a refused origin (`origin-refused`: a short one; `origin-120k`:
/// 120 KB with a dot every other byte) to a policy of one wildcard pattern
/// whose domain is longer than 63 bytes: what refusing a huge origin costs
/// against a short one, where a lookup of every suffix after a dot would be
/// quadratic.
fn hostile_origin(case: &str, count: usize) -> bool {
    let origin = match case {
        "refused" => "https://a.b.example".to_owned(),
        "120k" => format!("https://{}a", "a.".repeat(60_000)),
        _ => return false,
    };
    let domain = format!("{}.{}.example", "k".repeat(40), "l".repeat(30));
    let policy = cors_bench::scaled_policy(
        cors_actix::Cors::builder().allow_origin(format!("https://*.{domain}")),
    );
    let app = cors_bench::init(cors_bench::cors_actix_app_with(policy));
    // Built by `TestRequest`: actix-http's decoder reads heads of at most
    // 128 KB, which this is near.
    let make = || {
        actix_web::test::TestRequest::default()
            .uri(MIDDLEWARE_PATH)
            .insert_header(("host", cors_bench::HOST))
            .insert_header(("origin", origin.as_str()))
            .to_request()
    };
    let res = cors_bench::call(&app, make());
    assert_eq!(res.status(), 200);
    assert!(!res.headers().contains_key("access-control-allow-origin"));
    run_with(app, make, count);
    true
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [group, app, case, count] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if let ("scaling" | "hostile", Ok(count)) = (group.as_str(), count.parse::<usize>()) {
        let known = cors_bench::with_runtime(|| match group.as_str() {
            "scaling" => scaling(app, case, count),
            _ => hostile(app, case, count),
        });
        if known {
            return ExitCode::SUCCESS;
        }
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let (Some(case), Ok(count)) = (
        Case::ALL.into_iter().find(|c| c.name() == case),
        count.parse::<usize>(),
    ) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let known = cors_bench::with_runtime(|| {
        use cors_bench::init;
        match (group.as_str(), app.as_str()) {
            ("middleware", "bare") => {
                run(init(cors_bench::bare_app()), MIDDLEWARE_PATH, case, count)
            }
            ("middleware", "actix-cors") => run(
                init(cors_bench::actix_cors_app()),
                MIDDLEWARE_PATH,
                case,
                count,
            ),
            ("middleware", "wrap-fn") => run(
                init(cors_bench::wrap_fn_app()),
                MIDDLEWARE_PATH,
                case,
                count,
            ),
            ("middleware", "cors-actix") => run(
                init(cors_bench::cors_actix_app()),
                MIDDLEWARE_PATH,
                case,
                count,
            ),
            ("route" | "route-in-app", "bare-route") => {
                run(init(cors_bench::bare_route_app()), ROUTE_PATH, case, count)
            }
            ("route", "cors-actix") => run(
                init(cors_bench::cors_actix_route_app()),
                ROUTE_PATH,
                case,
                count,
            ),
            ("route", "bare-resource") => {
                run(init(cors_bench::bare_app()), ROUTE_PATH, case, count)
            }
            ("route", "actix-cors") => run(
                init(cors_bench::actix_cors_route_app()),
                ROUTE_PATH,
                case,
                count,
            ),
            ("route-in-app", "cors-actix") => run(
                init(cors_bench::cors_actix_route_in_wrapped_app()),
                ROUTE_PATH,
                case,
                count,
            ),
            _ => return false,
        }
        true
    });
    if known {
        ExitCode::SUCCESS
    } else {
        eprintln!("{USAGE}");
        ExitCode::from(2)
    }
}
