// An attribute that is not a list of `key = value` pairs, and a route
// attribute mistake: both reported, and nothing about the origins the
// unreadable attribute may have named.
#[cors_actix::cors(origins = ["https://app.example.com"]; credentials = true)]
#[actix_web::get("/x", guard = "is_json")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {
    let _app = actix_web::App::new().service(handler);
}
