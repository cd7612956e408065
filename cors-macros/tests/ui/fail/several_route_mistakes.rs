// Mistakes in the route attribute are reported with those of #[cors], and the
// handler still has the type `App::service` takes: no error follows them.
#[cors_actix::cors(origins = [8080])]
#[actix_web::route("x", method = "GET", method = "delete", method = "TRACE", wrap = "Logger")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {
    let _app = actix_web::App::new().service(handler);
}
