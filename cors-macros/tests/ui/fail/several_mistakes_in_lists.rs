// Each refused item of a list is reported, and a refused value does not hide
// the other keys' mistakes (nor claim that no origin is allowed).
#[cors_actix::cors(
    origins = ["app.example.com", 443, "https://*.co.uk"],
    headers = ["x custom", "cookie", "x-ok"],
    expose = ["set-cookie"],
    credentials = "yes",
    credentials = true,
    preflight_status = 301,
)]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {
    let _app = actix_web::App::new().service(handler);
}
