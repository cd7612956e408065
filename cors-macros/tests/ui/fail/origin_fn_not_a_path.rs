#[cors_actix::cors(origin_fn = |origin: &str, _: &actix_web::dev::RequestHead| origin.is_empty())]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
