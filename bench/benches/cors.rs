//! cors-actix, actix-cors and no CORS at all, in one run: each request goes
//! through an initialised app in-process (no sockets), from a request decoded
//! as the HTTP/1.1 server decodes it to the dropped response.
//!
//! `cargo bench -p cors-bench` (BENCHMARKS.md has the short-run options and
//! the tables).

use actix_web::dev::{Service, ServiceResponse};
use actix_web::Error;
use cors_bench::{Case, Request, MIDDLEWARE_PATH, REFUSED_ORIGIN, ROUTE_PATH};
use criterion::{BatchSize, Criterion};

/// Times one request, built outside the timing, answered and dropped inside.
fn bench<S, B>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: impl Into<String>,
    app: &S,
    make: impl Fn() -> Request,
) where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    group.bench_function(id.into(), |b| {
        b.iter_batched(
            &make,
            |req| drop(cors_bench::call(app, req)),
            BatchSize::SmallInput,
        )
    });
}

/// `App::wrap`: the six cases against the bare app, actix-cors and
/// cors-actix.
fn middleware(c: &mut Criterion) {
    let bare = cors_bench::init(cors_bench::bare_app());
    let theirs = cors_bench::init(cors_bench::actix_cors_app());
    let ours = cors_bench::init(cors_bench::cors_actix_app());
    for case in Case::ALL {
        let mut group = c.benchmark_group(format!("middleware/{}", case.name()));
        let make = || case.request(MIDDLEWARE_PATH);
        bench(&mut group, "bare", &bare, make);
        bench(&mut group, "actix-cors", &theirs, make);
        bench(&mut group, "cors-actix", &ours, make);
        group.finish();
    }
}

/// One route with its own policy: a `#[cors]` route against the same route
/// without CORS, and a resource wrapped by actix-cors against the same
/// resource without CORS.
fn route(c: &mut Criterion) {
    let bare_route = cors_bench::init(cors_bench::bare_route_app());
    let bare_resource = cors_bench::init(cors_bench::bare_app());
    let theirs = cors_bench::init(cors_bench::actix_cors_route_app());
    let ours = cors_bench::init(cors_bench::cors_actix_route_app());
    for case in Case::ALL {
        let mut group = c.benchmark_group(format!("route/{}", case.name()));
        let make = || case.request(ROUTE_PATH);
        bench(&mut group, "bare-route", &bare_route, make);
        bench(&mut group, "cors-actix", &ours, make);
        bench(&mut group, "bare-resource", &bare_resource, make);
        bench(&mut group, "actix-cors", &theirs, make);
        group.finish();
    }
}

/// The allowed-origin lookup as the policy grows: a GET from the last
/// origin configured, and from an origin nothing allows.
fn scaling(c: &mut Criterion) {
    let refused = || {
        cors_bench::decode(&cors_bench::wire(
            MIDDLEWARE_PATH,
            Some(REFUSED_ORIGIN),
            false,
        ))
    };
    for (kind, sizes) in [("exact", [1, 100, 10_000]), ("wildcard", [1, 100, 1_000])] {
        let mut allowed_group = c.benchmark_group(format!("scaling/{kind}-allowed"));
        let mut built = Vec::new();
        for n in sizes {
            let (exact, wildcards) = if kind == "exact" { (n, 0) } else { (0, n) };
            let last = if kind == "exact" {
                cors_bench::many_exact_origin(n - 1)
            } else {
                cors_bench::many_wildcard(n - 1).1
            };
            let wire = cors_bench::wire(MIDDLEWARE_PATH, Some(&last), false);
            let allowed = || cors_bench::decode(&wire);
            let ours = cors_bench::init(cors_bench::cors_actix_app_with(
                cors_bench::scaled_cors_actix(exact, wildcards),
            ));
            let theirs = cors_bench::init(cors_bench::actix_cors_app_with(
                cors_bench::scaled_actix_cors(exact, wildcards),
            ));
            // Both must grant the origin, or the lookup measured is a miss.
            for (what, granted) in [
                ("cors-actix", has_grant(&ours, allowed())),
                ("actix-cors", has_grant(&theirs, allowed())),
            ] {
                assert!(granted, "{what} with {n} {kind} origins refuses {last}");
            }
            bench(
                &mut allowed_group,
                format!("cors-actix/{n}"),
                &ours,
                allowed,
            );
            bench(
                &mut allowed_group,
                format!("actix-cors/{n}"),
                &theirs,
                allowed,
            );
            built.push((n, ours, theirs));
        }
        allowed_group.finish();
        let mut refused_group = c.benchmark_group(format!("scaling/{kind}-refused"));
        for (n, ours, theirs) in &built {
            bench(&mut refused_group, format!("cors-actix/{n}"), ours, refused);
            bench(
                &mut refused_group,
                format!("actix-cors/{n}"),
                theirs,
                refused,
            );
        }
        refused_group.finish();
    }
}

fn has_grant<S, B>(app: &S, req: Request) -> bool
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
{
    cors_bench::call(app, req)
        .headers()
        .contains_key(actix_web::http::header::ACCESS_CONTROL_ALLOW_ORIGIN)
}

fn main() {
    cors_bench::with_runtime(|| {
        let mut c = Criterion::default().configure_from_args();
        middleware(&mut c);
        route(&mut c);
        scaling(&mut c);
        c.final_summary();
    });
}
