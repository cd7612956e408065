//! The load-test server: `cors-bench-server <bare|actix-cors|cors-actix> <port>`
//! serves the benchmark app (`/api/posts`, lib.rs) on `127.0.0.1:<port>` with
//! one worker. bench/load.sh starts one of each and drives them with wrk.

use std::io;
use std::process::ExitCode;

use actix_web::HttpServer;

const USAGE: &str = "usage: cors-bench-server <bare|actix-cors|cors-actix> <port>";

/// One worker, a short shutdown (the load script stops servers with SIGTERM).
macro_rules! serve {
    ($app:path, $addr:expr) => {
        HttpServer::new($app)
            .workers(1)
            .shutdown_timeout(1)
            .bind($addr)?
            .run()
            .await
    };
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (2, Some(which), Some(Ok(port))) = (
        args.len(),
        args.first().cloned(),
        args.get(1).map(|p| p.parse::<u16>()),
    ) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let addr = ("127.0.0.1", port);
    let served: io::Result<()> = actix_web::rt::System::new().block_on(async move {
        match which.as_str() {
            "bare" => serve!(cors_bench::bare_app, addr),
            "actix-cors" => serve!(cors_bench::actix_cors_app, addr),
            "cors-actix" => serve!(cors_bench::cors_actix_app, addr),
            _ => Err(io::Error::new(io::ErrorKind::InvalidInput, USAGE)),
        }
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("cors-bench-server: {err}");
            ExitCode::FAILURE
        }
    }
}
