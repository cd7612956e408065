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

use std::hint::black_box;
use std::process::ExitCode;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::Error;
use cors_bench::{Case, Request, MIDDLEWARE_PATH, ROUTE_PATH};

const USAGE: &str = "usage: cors-instructions <middleware|route|route-in-app> <app> <case> <count>";

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [group, app, case, count] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
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
